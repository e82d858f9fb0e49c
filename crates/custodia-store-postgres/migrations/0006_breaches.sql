-- The breach register (GDPR Art. 33(5)): every breach with what staff recorded (a
-- JSON body), the times the 72-hour clock needs, and an append-only timeline. Staff
-- write the descriptions; subjects are named by their random ids only.
CREATE TABLE breaches (
    id                   TEXT        PRIMARY KEY,
    version              BIGINT      NOT NULL CHECK (version >= 1),
    aware_at             TIMESTAMPTZ NOT NULL,
    recorded_at          TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    authority_decided_at TIMESTAMPTZ,
    closed_at            TIMESTAMPTZ,
    body                 TEXT        NOT NULL
);

CREATE TABLE breach_events (
    breach_id TEXT        NOT NULL REFERENCES breaches (id),
    seq       BIGINT      NOT NULL CHECK (seq >= 1),
    at        TIMESTAMPTZ NOT NULL,
    principal TEXT        NOT NULL,
    kind      TEXT        NOT NULL,
    detail    TEXT        NOT NULL,
    PRIMARY KEY (breach_id, seq)
);
