-- The key store: a database file of its own (keys.db), in rollback-journal mode with
-- secure_delete, so that a deleted data key leaves no bytes in the file. Keys are
-- wrapped (encrypted) by the master key.

-- One data key per subject.
CREATE TABLE data_keys (
    subject_id TEXT PRIMARY KEY,
    wrapped    BLOB NOT NULL
) STRICT, WITHOUT ROWID;

-- Custodia's own keys (blind_index...).
CREATE TABLE system_keys (
    name    TEXT PRIMARY KEY,
    wrapped BLOB NOT NULL
) STRICT, WITHOUT ROWID;
