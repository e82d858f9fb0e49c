-- Audit entries are indexed in bulk instead of one by one. With indexes on audit_log
-- itself, every commit also rewrote a leaf of each index: by subject a random one per
-- entry, by principal and by time the last one. The writer now appends to audit_log
-- only, and once AUDIT_INDEX_EVERY (apply.rs) entries are unindexed it indexes them
-- all, each index in one sorted insert, in the transaction that moves
-- indexed_through. Reads use these tables up to indexed_through and scan the few
-- entries after it. Measured on lookups by e-mail (one audit entry each): about 11 KB
-- of disk writes per lookup before.
CREATE TABLE audit_by_subject (
    subject_ref TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (subject_ref, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_by_principal (
    principal TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (principal, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_by_time (
    at_us INTEGER NOT NULL,
    seq   INTEGER NOT NULL,
    PRIMARY KEY (at_us, seq)
) STRICT, WITHOUT ROWID;

-- One row: every entry with seq <= indexed_through is in the tables above (in
-- audit_by_subject if it names a subject), and no later one is.
CREATE TABLE audit_index_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through INTEGER NOT NULL CHECK (indexed_through >= 0)
) STRICT;

INSERT INTO audit_by_subject (subject_ref, seq)
    SELECT subject_ref, seq FROM audit_log WHERE subject_ref IS NOT NULL
    ORDER BY subject_ref, seq;
INSERT INTO audit_by_principal (principal, seq)
    SELECT principal, seq FROM audit_log ORDER BY principal, seq;
INSERT INTO audit_by_time (at_us, seq)
    SELECT at_us, seq FROM audit_log ORDER BY at_us, seq;
INSERT INTO audit_index_state (id, indexed_through)
    SELECT 1, coalesce(max(seq), 0) FROM audit_log;
DROP INDEX audit_log_by_subject;
DROP INDEX audit_log_by_principal;
DROP INDEX audit_log_by_time;
