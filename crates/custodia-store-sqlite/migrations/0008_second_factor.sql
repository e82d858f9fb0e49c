-- Staff second factor (TOTP, sealed secret) and the hashes of unused recovery codes
-- (32-byte SHA-256 digests, concatenated).
CREATE TABLE staff_second_factors (
    user_id         TEXT    PRIMARY KEY REFERENCES staff_users (id),
    secret_sealed   BLOB    NOT NULL,
    confirmed_at_us INTEGER,
    last_step       INTEGER,
    recovery_hashes BLOB    NOT NULL,
    created_at_us   INTEGER NOT NULL,
    version         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
