-- Consent records: append-only proof of each choice. Exactly one of subject_id and
-- visitor_id is set.
CREATE TABLE consents (
    id                  TEXT        PRIMARY KEY,
    subject_id          TEXT        REFERENCES subjects (id),
    visitor_id          TEXT,
    purpose             TEXT        NOT NULL,
    service             TEXT,
    state               TEXT        NOT NULL,
    method              TEXT        NOT NULL,
    recorded_at         TIMESTAMPTZ NOT NULL,
    expires_at          TIMESTAMPTZ,
    policy_version      BIGINT      NOT NULL,
    purpose_fingerprint TEXT        NOT NULL,
    text_sha256         TEXT        NOT NULL,
    banner_version      TEXT,
    ip_prefix           TEXT,
    user_agent          TEXT,
    jurisdiction        TEXT,
    gpc                 BOOLEAN     NOT NULL,
    recorded_by         TEXT        NOT NULL,
    CHECK ((subject_id IS NULL) <> (visitor_id IS NULL))
);
CREATE INDEX consents_by_subject ON consents (subject_id, id) WHERE subject_id IS NOT NULL;
CREATE INDEX consents_by_visitor ON consents (visitor_id, id) WHERE visitor_id IS NOT NULL;

-- A visitor (banner id) that signed in as a subject; the latest sign-in wins.
CREATE TABLE visitor_links (
    visitor_id TEXT        PRIMARY KEY,
    subject_id TEXT        NOT NULL REFERENCES subjects (id),
    linked_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX visitor_links_by_subject ON visitor_links (subject_id);
