-- The start-up load pages these tables by id in byte order (`COLLATE "C"`, as SQLite's
-- BINARY); their primary keys use the database's collation and cannot serve that order,
-- so without these every page sorted the whole table (issue 18).
CREATE INDEX consents_by_id_bytes ON consents (id COLLATE "C");
CREATE INDEX visitor_links_by_id_bytes ON visitor_links (visitor_id COLLATE "C");
CREATE INDEX restrictions_by_subject_bytes ON restrictions (subject_id COLLATE "C");
