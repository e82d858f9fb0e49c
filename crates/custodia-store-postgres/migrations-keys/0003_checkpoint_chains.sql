-- A checkpoint signs the head of one audit chain (one per writing instance).
ALTER TABLE audit_checkpoints ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;
