-- Signed checkpoints of the audit log (seq, head), kept in the key store, outside the
-- data database when the key store has a database of its own, so that cutting the
-- log short shows. Only the latest ones are kept.
CREATE TABLE audit_checkpoints (
    seq        BIGINT      PRIMARY KEY,
    head       TEXT        NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    keyed_from BIGINT      NOT NULL,
    signature  BYTEA       NOT NULL
);
