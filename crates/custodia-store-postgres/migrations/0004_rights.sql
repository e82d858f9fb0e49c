-- Data-subject rights requests and what serves them. Workflow metadata is in clear;
-- everything personal is in `body`, sealed by the caller (AEAD ciphertext).

CREATE TABLE rights_requests (
    id          TEXT        PRIMARY KEY,
    kind        TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    closed_at   TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL,
    subject_id  TEXT,
    -- Blind index (HMAC) of the requester's e-mail address.
    email_index BYTEA       NOT NULL,
    assignee    TEXT,
    -- Optimistic concurrency: an update names the version it read.
    version     BIGINT      NOT NULL,
    body        BYTEA       NOT NULL
);
CREATE INDEX rights_requests_by_email ON rights_requests (email_index, id);

-- Messages waiting for delivery (e-mail, signed webhook), retried with backoff.
CREATE TABLE rights_outbox (
    id              TEXT        PRIMARY KEY,
    channel         TEXT        NOT NULL,
    request_id      TEXT,
    recipient       TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    attempts        BIGINT      NOT NULL,
    status          TEXT        NOT NULL,
    last_error      TEXT,
    delivered_at    TIMESTAMPTZ,
    body            BYTEA       NOT NULL
);
CREATE INDEX rights_outbox_due ON rights_outbox (status, next_attempt_at, id);
CREATE INDEX rights_outbox_by_request ON rights_outbox (request_id, id)
    WHERE request_id IS NOT NULL;

-- One-time downloads of prepared packages, found by the SHA-256 of the link's token.
CREATE TABLE rights_downloads (
    token_hash BYTEA       PRIMARY KEY,
    request_id TEXT        NOT NULL,
    format     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    body       BYTEA       NOT NULL
);
CREATE INDEX rights_downloads_by_request ON rights_downloads (request_id);

-- At most one identity document per request: a new upload replaces it.
CREATE TABLE rights_request_documents (
    request_id  TEXT        PRIMARY KEY,
    uploaded_at TIMESTAMPTZ NOT NULL,
    media_type  TEXT        NOT NULL,
    body        BYTEA       NOT NULL
);

-- The marketing opposition list: keyed hashes of addresses, never the addresses.
CREATE TABLE opposition_list (
    digest     BYTEA       PRIMARY KEY,
    added_at   TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- Subjects whose processing is restricted (Art. 18). Erasure deletes the row (the
-- subject row stays), so the foreign key never blocks it.
CREATE TABLE restrictions (
    subject_id TEXT        PRIMARY KEY REFERENCES subjects (id),
    since      TIMESTAMPTZ NOT NULL,
    request_id TEXT
);
