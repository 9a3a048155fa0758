-- The operator console's list pages at 100,000 dead letters (issue 16, benchmarks/console/run).
-- On a large existing database, build the indexes first with CREATE INDEX CONCURRENTLY under the
-- same names: this file then skips them.

-- The text search over a dead letter's error (`reason ILIKE '%…%'`) reads a trigram index
-- instead of every row. pg_trgm ships with PostgreSQL (Debian: postgresql-contrib is part of
-- the server package) and is a trusted extension: the database's owner may create it. It is
-- database-wide, so it goes to schema public and its operator class is named with it (a
-- schema of the fleet's tables, like each test's own, may be dropped with everything in it;
-- ILIKE itself is PostgreSQL's own operator and finds the index whatever the search_path).
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX IF NOT EXISTS dead_letters_reason_trgm ON dead_letters USING gin (reason public.gin_trgm_ops);

-- The overview's "dead letters by queue, error class and failure stage" is a count per group,
-- kept by a trigger as dead letters are recorded and purged, so the page reads a few dozen
-- rows instead of grouping the whole table. The key is the dead letter's own columns ('' for an
-- error class or stage it did not record): a pure function of the row, so an insert and a later
-- delete always count against the same group (the job's columns, which the list's filters fall
-- back to, change when the job is replayed).
CREATE TABLE dead_letter_groups (
    queue        text NOT NULL,
    error_class  text NOT NULL,
    stage        text NOT NULL,
    count        bigint NOT NULL,
    PRIMARY KEY (queue, error_class, stage)
);

-- Statement triggers over the transition tables: a purge of 10,000 dead letters is one grouped
-- update, and the groups change in one order, so concurrent purges do not deadlock on them.
CREATE FUNCTION dead_letter_group_key(queue text, original_queue text, error_class error_class, failure_stage text,
                                      OUT key_queue text, OUT key_error_class text, OUT key_stage text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(original_queue, queue), COALESCE(error_class::text, ''), COALESCE(failure_stage, '')
$$;

CREATE FUNCTION dead_letter_groups_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO dead_letter_groups AS g (queue, error_class, stage, count)
        SELECT k.key_queue, k.key_error_class, k.key_stage, count(*) FROM new_rows r,
               dead_letter_group_key(r.queue, r.original_queue, r.error_class, r.failure_stage) k
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (queue, error_class, stage) DO UPDATE SET count = g.count + excluded.count;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE dead_letter_groups g SET count = g.count - gone.n
        FROM (SELECT k.key_queue, k.key_error_class, k.key_stage, count(*) AS n FROM old_rows r,
                     dead_letter_group_key(r.queue, r.original_queue, r.error_class, r.failure_stage) k
              GROUP BY 1, 2, 3) gone
        WHERE (g.queue, g.error_class, g.stage) = (gone.key_queue, gone.key_error_class, gone.key_stage);
        DELETE FROM dead_letter_groups WHERE count = 0;
    ELSE
        INSERT INTO dead_letter_groups AS g (queue, error_class, stage, count)
        SELECT queue, error_class, stage, sum(n) FROM (
            SELECT k.key_queue AS queue, k.key_error_class AS error_class, k.key_stage AS stage, -1 AS n FROM old_rows r JOIN new_rows w USING (id),
                   dead_letter_group_key(r.queue, r.original_queue, r.error_class, r.failure_stage) k
            WHERE (r.queue, r.original_queue, r.error_class, r.failure_stage) IS DISTINCT FROM (w.queue, w.original_queue, w.error_class, w.failure_stage)
            UNION ALL
            SELECT k.key_queue, k.key_error_class, k.key_stage, 1 FROM old_rows r JOIN new_rows w USING (id),
                   dead_letter_group_key(w.queue, w.original_queue, w.error_class, w.failure_stage) k
            WHERE (r.queue, r.original_queue, r.error_class, r.failure_stage) IS DISTINCT FROM (w.queue, w.original_queue, w.error_class, w.failure_stage)
        ) delta GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (queue, error_class, stage) DO UPDATE SET count = g.count + excluded.count;
        DELETE FROM dead_letter_groups WHERE count = 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER dead_letter_groups_insert AFTER INSERT ON dead_letters REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dead_letter_groups_count();
CREATE TRIGGER dead_letter_groups_delete AFTER DELETE ON dead_letters REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dead_letter_groups_count();
CREATE TRIGGER dead_letter_groups_update AFTER UPDATE ON dead_letters REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dead_letter_groups_count();

INSERT INTO dead_letter_groups (queue, error_class, stage, count)
SELECT k.key_queue, k.key_error_class, k.key_stage, count(*)
FROM dead_letters d, dead_letter_group_key(d.queue, d.original_queue, d.error_class, d.failure_stage) k
GROUP BY 1, 2, 3;

-- The overview's jobs by state: an index-only count per state instead of reading every job.
-- The state is already an indexed column (jobs_open_by_queue's predicate), so its updates were
-- never HOT; this adds one index entry per state change.
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
