-- Data-subject rights requests and what serves them. Workflow metadata is in clear;
-- everything personal is in `body`, sealed by the caller (AEAD ciphertext). Times are
-- microseconds since 1970-01-01 UTC. Tables holding a body keep their rowid: bodies
-- (packages, documents) can be large, and WITHOUT ROWID suits small rows only.

CREATE TABLE rights_requests (
    id             TEXT    PRIMARY KEY,
    kind           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    received_at_us INTEGER NOT NULL,
    due_at_us      INTEGER NOT NULL,
    closed_at_us   INTEGER,
    updated_at_us  INTEGER NOT NULL,
    subject_id     TEXT,
    -- Blind index (HMAC) of the requester's e-mail address.
    email_index    BLOB    NOT NULL,
    assignee       TEXT,
    -- Optimistic concurrency: an update names the version it read.
    version        INTEGER NOT NULL,
    body           BLOB    NOT NULL
) STRICT;
CREATE INDEX rights_requests_by_email ON rights_requests (email_index, id);

-- Messages waiting for delivery (e-mail, signed webhook), retried with backoff.
CREATE TABLE rights_outbox (
    id                 TEXT    PRIMARY KEY,
    channel            TEXT    NOT NULL,
    request_id         TEXT,
    recipient          TEXT,
    created_at_us      INTEGER NOT NULL,
    next_attempt_at_us INTEGER NOT NULL,
    attempts           INTEGER NOT NULL,
    status             TEXT    NOT NULL,
    last_error         TEXT,
    delivered_at_us    INTEGER,
    body               BLOB    NOT NULL
) STRICT;
CREATE INDEX rights_outbox_due ON rights_outbox (status, next_attempt_at_us, id);
CREATE INDEX rights_outbox_by_request ON rights_outbox (request_id, id)
    WHERE request_id IS NOT NULL;

-- One-time downloads of prepared packages, found by the SHA-256 of the link's token.
CREATE TABLE rights_downloads (
    token_hash    BLOB    PRIMARY KEY,
    request_id    TEXT    NOT NULL,
    format        TEXT    NOT NULL,
    created_at_us INTEGER NOT NULL,
    expires_at_us INTEGER NOT NULL,
    body          BLOB    NOT NULL
) STRICT;
CREATE INDEX rights_downloads_by_request ON rights_downloads (request_id);

-- At most one identity document per request: a new upload replaces it.
CREATE TABLE rights_request_documents (
    request_id     TEXT    PRIMARY KEY,
    uploaded_at_us INTEGER NOT NULL,
    media_type     TEXT    NOT NULL,
    body           BLOB    NOT NULL
) STRICT;

-- The marketing opposition list: keyed hashes of addresses, never the addresses.
CREATE TABLE opposition_list (
    digest        BLOB    PRIMARY KEY,
    added_at_us   INTEGER NOT NULL,
    expires_at_us INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Subjects whose processing is restricted (Art. 18). Erasure deletes the row (the
-- subject row stays), so the foreign key never blocks it.
CREATE TABLE restrictions (
    subject_id TEXT    PRIMARY KEY REFERENCES subjects (id),
    since_us   INTEGER NOT NULL,
    request_id TEXT
) STRICT, WITHOUT ROWID;
