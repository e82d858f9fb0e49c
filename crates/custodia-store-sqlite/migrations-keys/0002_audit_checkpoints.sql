-- Signed checkpoints of the audit log (seq, head), kept here, outside the data
-- database, so that cutting the log short shows. Only the latest ones are kept.
CREATE TABLE audit_checkpoints (
    seq        INTEGER PRIMARY KEY,
    head       TEXT    NOT NULL,
    at         INTEGER NOT NULL,  -- Unix microseconds, UTC
    keyed_from INTEGER NOT NULL,
    signature  BLOB    NOT NULL
) STRICT;
