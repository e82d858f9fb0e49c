-- Retention outcomes (issue 17): the counts kept per rule, subject kind and month now
-- say which action a sweep carried out (archive, delete, anonymise); those kept so far
-- were all anonymisations. SQLite cannot widen a primary key: the table is rebuilt.
CREATE TABLE retention_counts_by_action (
    rule   TEXT    NOT NULL,
    kind   TEXT    NOT NULL,
    month  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (rule, kind, month, action)
) STRICT, WITHOUT ROWID;
INSERT INTO retention_counts_by_action (rule, kind, month, action, count)
    SELECT rule, kind, month, 'anonymise', count FROM retention_counts;
DROP TABLE retention_counts;
ALTER TABLE retention_counts_by_action RENAME TO retention_counts;
