-- Subjects, staff and the audit log. Times are microseconds since 1970-01-01 UTC
-- (columns ending in _us). Blobs (sealed fields, blind index digests, token and key
-- hashes) are BLOBs; lists of register category ids are JSON arrays of strings.
-- Wrapped data keys live in the key store (its own file), never here.

CREATE TABLE subjects (
    id                     TEXT    PRIMARY KEY,
    kind                   TEXT    NOT NULL,
    age_status             TEXT    NOT NULL,
    parental_consent_at_us INTEGER,
    created_at_us          INTEGER NOT NULL,
    updated_at_us          INTEGER NOT NULL,
    -- The row outlives erasure, so that erasure can be proven.
    erased_at_us           INTEGER
) STRICT, WITHOUT ROWID;

-- AEAD ciphertext under the subject's data key.
CREATE TABLE subject_fields (
    subject_id TEXT NOT NULL REFERENCES subjects (id),
    category   TEXT NOT NULL,
    sealed     BLOB NOT NULL,
    PRIMARY KEY (subject_id, category)
) STRICT, WITHOUT ROWID;

-- Blind indexes (keyed HMACs): looked up by (kind, digest); replaced and erased by
-- subject.
CREATE TABLE subject_indexes (
    kind       TEXT NOT NULL,
    digest     BLOB NOT NULL,
    subject_id TEXT NOT NULL REFERENCES subjects (id),
    PRIMARY KEY (kind, digest, subject_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX subject_indexes_by_subject ON subject_indexes (subject_id, kind);

CREATE TABLE subject_events (
    subject_id     TEXT    NOT NULL REFERENCES subjects (id),
    event          TEXT    NOT NULL,
    at_us          INTEGER NOT NULL,
    recorded_at_us INTEGER NOT NULL
) STRICT;
CREATE INDEX subject_events_by_subject ON subject_events (subject_id);

-- Kept when the subject is erased: Art. 19 notifications need them.
CREATE TABLE disclosures (
    id          TEXT    PRIMARY KEY,
    subject_id  TEXT    NOT NULL REFERENCES subjects (id),
    recipient   TEXT    NOT NULL,
    categories  TEXT    NOT NULL,
    purpose     TEXT    NOT NULL,
    at_us       INTEGER NOT NULL,
    recorded_by TEXT    NOT NULL
) STRICT;
CREATE INDEX disclosures_by_subject ON disclosures (subject_id);

CREATE TABLE staff_users (
    id             TEXT    PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL,
    created_at_us  INTEGER NOT NULL,
    disabled_at_us INTEGER
) STRICT;

CREATE TABLE staff_sessions (
    token_hash    BLOB    PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES staff_users (id),
    csrf_token    TEXT    NOT NULL,
    created_at_us INTEGER NOT NULL,
    expires_at_us INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX staff_sessions_by_user ON staff_sessions (user_id);

CREATE TABLE api_keys (
    id            TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    key_hash      BLOB    NOT NULL UNIQUE,
    created_at_us INTEGER NOT NULL,
    revoked_at_us INTEGER
) STRICT;

-- Append-only, hash-chained. The application numbers entries (head + 1); the primary
-- key turns a race between writers into AuditHeadMoved, so the chain never forks.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    at_us       INTEGER NOT NULL,
    principal   TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    subject_ref TEXT,
    categories  TEXT    NOT NULL,
    purpose     TEXT,
    outcome     TEXT    NOT NULL,
    detail      TEXT,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_by_subject ON audit_log (subject_ref, seq);
CREATE INDEX audit_log_by_principal ON audit_log (principal, seq);
CREATE INDEX audit_log_by_time ON audit_log (at_us);
