-- The staff queue reads requests soonest deadline first, a page at a time.
CREATE INDEX rights_requests_by_due ON rights_requests (due_at, id COLLATE "C");

-- Audit entries by action: the console's filter and the latest verification.
CREATE INDEX audit_log_by_action ON audit_log (action, seq);
