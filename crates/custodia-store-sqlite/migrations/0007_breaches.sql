-- The breach register (GDPR Art. 33(5)): every breach with what staff recorded (a
-- JSON body), the times the 72-hour clock needs, and an append-only timeline. Staff
-- write the descriptions; subjects are named by their random ids only. Times are
-- microseconds since 1970-01-01 UTC (columns ending in _us).
CREATE TABLE breaches (
    id                      TEXT    PRIMARY KEY,
    version                 INTEGER NOT NULL CHECK (version >= 1),
    aware_at_us             INTEGER NOT NULL,
    recorded_at_us          INTEGER NOT NULL,
    updated_at_us           INTEGER NOT NULL,
    authority_decided_at_us INTEGER,
    closed_at_us            INTEGER,
    body                    TEXT    NOT NULL
) STRICT;

CREATE TABLE breach_events (
    breach_id TEXT    NOT NULL REFERENCES breaches (id),
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    at_us     INTEGER NOT NULL,
    principal TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    detail    TEXT    NOT NULL,
    PRIMARY KEY (breach_id, seq)
) STRICT, WITHOUT ROWID;
