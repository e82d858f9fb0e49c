-- Published policy versions. The application numbers them (latest + 1); the primary
-- key turns a race between publishers into a retry, so numbers stay gapless. No
-- sequences or advisory locks: the schema also suits CockroachDB and YugabyteDB.
CREATE TABLE policy_versions (
    number          BIGINT      PRIMARY KEY CHECK (number >= 1),
    register_sha256 TEXT        NOT NULL,
    register_source TEXT        NOT NULL,
    effective_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE policy_documents (
    version_number BIGINT NOT NULL REFERENCES policy_versions (number),
    kind           TEXT   NOT NULL,
    lang           TEXT   NOT NULL,
    format         TEXT   NOT NULL,
    sha256         TEXT   NOT NULL,
    content        TEXT   NOT NULL,
    PRIMARY KEY (version_number, kind, lang, format)
);
