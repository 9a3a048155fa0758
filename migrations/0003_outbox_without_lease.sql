-- The outbox relay locks a batch `FOR UPDATE SKIP LOCKED` in a transaction it holds across
-- the publish, and marks the rows published in that same commit: a relay that dies mid-batch
-- leaves its rows unlocked and unpublished for the next one. No lease is taken any more, so
-- the lease columns of 0001 go.
ALTER TABLE outbox DROP COLUMN claimed_by, DROP COLUMN claimed_until;
