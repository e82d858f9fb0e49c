-- Access review (issue 17): when each credential was last used, written coarsely
-- (day precision, flushed from memory), and the periodic reviews recorded.
CREATE TABLE credential_uses (
    principal  TEXT    PRIMARY KEY,
    at_us      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE access_reviews (
    id              TEXT    PRIMARY KEY,
    reviewed_by     TEXT    NOT NULL,
    reviewed_at_us  INTEGER NOT NULL,
    notes           TEXT    NOT NULL
) STRICT;
CREATE INDEX access_reviews_by_time ON access_reviews (reviewed_at_us);

-- Statistics aggregate by time window.
CREATE INDEX consents_by_time ON consents (recorded_at_us);
CREATE INDEX rights_requests_by_received ON rights_requests (received_at_us);
