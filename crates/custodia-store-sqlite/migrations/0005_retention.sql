-- Retention: the steps sweeps carried out, the legal holds that stop them, and the
-- counts that are all anonymisation keeps. No personal data: ids, rule ids, category
-- and event names, times. Times are microseconds since 1970-01-01 UTC (columns ending
-- in _us).

-- The latest step of each rule done on a subject, so that a sweep killed half-way
-- resumes instead of redoing a step. Erasure deletes the rows (the subject row stays),
-- so the foreign key never blocks it.
CREATE TABLE retention_progress (
    subject_id TEXT    NOT NULL REFERENCES subjects (id),
    rule       TEXT    NOT NULL,
    step       INTEGER NOT NULL CHECK (step >= 1),
    action     TEXT    NOT NULL,
    done_at_us INTEGER NOT NULL,
    PRIMARY KEY (subject_id, rule)
) STRICT, WITHOUT ROWID;

-- Released holds stay: the release is part of the record. No foreign key to subjects:
-- a hold may name a subject before it is created or after it is erased.
CREATE TABLE legal_holds (
    id             TEXT    PRIMARY KEY,
    subject_id     TEXT,
    rule_id        TEXT,
    reason         TEXT    NOT NULL,
    created_at_us  INTEGER NOT NULL,
    created_by     TEXT    NOT NULL,
    released_at_us INTEGER,
    released_by    TEXT,
    CHECK (subject_id IS NOT NULL OR rule_id IS NOT NULL)
) STRICT;

-- Subjects anonymised per rule, kind and month (YYYY-MM, UTC): aggregates only, so
-- that statistics survive the subjects.
CREATE TABLE retention_counts (
    rule  TEXT    NOT NULL,
    kind  TEXT    NOT NULL,
    month TEXT    NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (rule, kind, month)
) STRICT, WITHOUT ROWID;

-- Events by subject, now covering the event name and time: the retention planner reads
-- the latest time of each event name of every subject from the index alone, in order,
-- and lookups and erasure by subject use its first column as before.
DROP INDEX subject_events_by_subject;
CREATE INDEX subject_events_by_subject ON subject_events (subject_id, event, at_us);

-- Leases for exclusive jobs (one retention sweep at a time among the instances of a
-- database): taken when free or expired, renewed by their holder.
CREATE TABLE leases (
    name          TEXT    PRIMARY KEY,
    holder        TEXT    NOT NULL,
    expires_at_us INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
