-- The change feed (custodia_store::feed): one row per batch that changes what
-- instances hold in memory, numbered one past the highest stored (a collision on the
-- primary key retries the batch), so numbers follow commit order and every instance
-- sharing this database follows every write. Rows older than an hour are pruned; a
-- follower away longer reloads everything.
CREATE TABLE changes (
    seq BIGINT PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    body JSONB NOT NULL
);
CREATE INDEX changes_by_at ON changes (at);
