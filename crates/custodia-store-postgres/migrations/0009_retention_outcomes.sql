-- Retention outcomes (issue 17): the counts kept per rule, subject kind and month now
-- say which action a sweep carried out (archive, delete, anonymise); those kept so far
-- were all anonymisations. The default only fills the existing rows.
ALTER TABLE retention_counts ADD COLUMN action TEXT NOT NULL DEFAULT 'anonymise';
ALTER TABLE retention_counts ALTER COLUMN action DROP DEFAULT;
ALTER TABLE retention_counts DROP CONSTRAINT retention_counts_pkey;
ALTER TABLE retention_counts ADD PRIMARY KEY (rule, kind, month, action);
