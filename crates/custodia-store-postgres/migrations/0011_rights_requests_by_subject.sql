-- A subject's page lists the rights requests naming them (issue 17).
CREATE INDEX rights_requests_by_subject ON rights_requests (subject_id, id);
