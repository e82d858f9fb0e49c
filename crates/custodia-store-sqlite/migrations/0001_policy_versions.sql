-- Published policy versions. The application numbers them (latest + 1); the primary
-- key turns a race between publishers into a retry, so numbers stay gapless.
CREATE TABLE policy_versions (
    number          INTEGER PRIMARY KEY CHECK (number >= 1),
    register_sha256 TEXT    NOT NULL,
    register_source TEXT    NOT NULL,
    -- Microseconds since 1970-01-01 UTC: exact, and the precision PostgreSQL keeps.
    effective_at_us INTEGER NOT NULL
) STRICT;

CREATE TABLE policy_documents (
    version_number INTEGER NOT NULL REFERENCES policy_versions (number),
    kind           TEXT    NOT NULL,
    lang           TEXT    NOT NULL,
    format         TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    PRIMARY KEY (version_number, kind, lang, format)
) STRICT;
