-- Staff second factor (TOTP, sealed secret) and the hashes of unused recovery codes
-- (32-byte SHA-256 digests, concatenated).
CREATE TABLE staff_second_factors (
    user_id         TEXT        PRIMARY KEY REFERENCES staff_users (id),
    secret_sealed   BYTEA       NOT NULL,
    confirmed_at    TIMESTAMPTZ,
    last_step       BIGINT,
    recovery_hashes BYTEA       NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT      NOT NULL
);
