-- The staff queue reads requests soonest deadline first, a page at a time.
CREATE INDEX rights_requests_by_due ON rights_requests (due_at_us, id);

-- Audit entries by action (the console's filter, the latest verification), indexed in
-- bulk with the others (see 0006): filled here up to indexed_through.
CREATE TABLE audit_by_action (
    action TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (action, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO audit_by_action (action, seq)
    SELECT action, seq FROM audit_log
    WHERE seq <= (SELECT indexed_through FROM audit_index_state)
    ORDER BY action, seq;
