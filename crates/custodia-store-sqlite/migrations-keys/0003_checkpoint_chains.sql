-- A checkpoint signs the head of one audit chain (a PostgreSQL data store has one per
-- writing instance; SQLite's has chain 0 alone).
ALTER TABLE audit_checkpoints ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;
