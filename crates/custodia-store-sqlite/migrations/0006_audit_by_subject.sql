-- Audit entries are indexed by subject in bulk instead of one by one. An index on
-- audit_log (subject_ref, seq) puts each new entry on a random leaf, so every commit
-- rewrote one page per entry in the WAL and again at checkpoint (about 11 KB of disk
-- writes per audited read, measured). Now the writer appends entries in seq order only,
-- and once INDEX_EVERY entries are unindexed it indexes them all in one sorted insert,
-- in the same transaction that moves indexed_through. Reads by subject use this table
-- up to indexed_through and scan the few entries after it.
CREATE TABLE audit_by_subject (
    subject_ref TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (subject_ref, seq)
) STRICT, WITHOUT ROWID;

-- One row: every entry with seq <= indexed_through that names a subject is in
-- audit_by_subject, and no later one is.
CREATE TABLE audit_index_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through INTEGER NOT NULL CHECK (indexed_through >= 0)
) STRICT;

INSERT INTO audit_by_subject (subject_ref, seq)
    SELECT subject_ref, seq FROM audit_log WHERE subject_ref IS NOT NULL
    ORDER BY subject_ref, seq;
INSERT INTO audit_index_state (id, indexed_through)
    SELECT 1, coalesce(max(seq), 0) FROM audit_log;
DROP INDEX audit_log_by_subject;
