-- One audit chain per writing instance (issue 18): instances appending to one head
-- took turns on it and never committed together. Each process now claims a chain
-- (the lowest one no live session holds: a session advisory lock), links its
-- entries along it, and numbers them from a sequence shared by every chain, so
-- `seq` stays unique and the log is still listed by it. The change feed keeps each
-- batch's change in its writer's chain, numbered from a sequence too: a follower
-- keeps a position per chain, and chains never wait for each other.
ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 0 CHECK (chain >= 0);
CREATE INDEX audit_log_by_chain ON audit_log (chain, seq);
CREATE SEQUENCE audit_seq;
SELECT setval('audit_seq', COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1, false);

-- Every chain ever claimed, so followers know which to read (a chain is registered
-- before its first write).
CREATE TABLE audit_chains (
    chain INTEGER PRIMARY KEY CHECK (chain >= 0),
    claimed_at TIMESTAMPTZ NOT NULL
);
INSERT INTO audit_chains (chain, claimed_at) VALUES (0, now());

ALTER TABLE changes ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;
CREATE INDEX changes_by_chain ON changes (chain, seq);
CREATE SEQUENCE changes_seq;
SELECT setval('changes_seq', COALESCE((SELECT MAX(seq) FROM changes), 0) + 1, false);
