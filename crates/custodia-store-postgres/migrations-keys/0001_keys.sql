-- The key store: data keys and Custodia's own keys, wrapped (encrypted) by the master
-- key. It may share the data database or use another one: its tables have names of
-- their own and its migrations are tracked in _custodia_key_migrations.
--
-- A deleted row stays in the table's pages until VACUUM reclaims them (autovacuum
-- does, eventually); PostgreSQL has no secure delete. Put the key store in a database
-- of its own when erasure must also reach the files at once.

-- One data key per subject. "C" collation: pages for rotation go in byte order, as on
-- SQLite, whatever the database's default collation.
CREATE TABLE data_keys (
    subject_id TEXT COLLATE "C" PRIMARY KEY,
    wrapped    BYTEA NOT NULL
);

-- Custodia's own keys (blind_index...).
CREATE TABLE system_keys (
    name    TEXT  PRIMARY KEY,
    wrapped BYTEA NOT NULL
);
