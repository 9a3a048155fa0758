-- Retention (README "Retention"): the finalizer deletes published outbox rows and the
-- attempts of finished jobs once they are older than the operator's setting. Both indexes
-- are on columns set at insert and never updated, so they cost one index entry per row and
-- keep every later update of the row as it was. On a large existing database, build them
-- first with CREATE INDEX CONCURRENTLY under the same names: this file then skips them.
CREATE INDEX IF NOT EXISTS outbox_created ON outbox (created_at);
CREATE INDEX IF NOT EXISTS job_attempts_started ON job_attempts (started_at);
