-- The operator console's filtered lists at 100,000 dead letters (issue 16, benchmarks/console/run):
-- "still dead only" is a column of the dead letter that the schema keeps, and the per-group counts
-- carry every column the queue, kind, error class and stage filters compare, so a filter on those
-- columns is counted from a few dozen rows instead of a scan of every dead letter.

-- Drop 0012's group counts first: the fill of the new column below would otherwise run their
-- update trigger over every row. They are built again at the end with more columns.
DROP TRIGGER dead_letter_groups_insert ON dead_letters;
DROP TRIGGER dead_letter_groups_delete ON dead_letters;
DROP TRIGGER dead_letter_groups_update ON dead_letters;
DROP FUNCTION dead_letter_groups_count();
DROP FUNCTION dead_letter_group_key(text, text, error_class, text);
DROP TABLE dead_letter_groups;

-- Whether the dead letter's job is still dead (true for a dead letter without a job): what
-- "still dead only" selects, an `EXISTS` over `jobs` per row before (8,333 index probes for the
-- combined filter of the benchmark). Kept by the schema, in the transaction that changes the job's
-- state, whichever code changes it: a dead letter takes it from its job as it is recorded (or
-- pointed at another job), and a job that becomes dead or stops being dead sets it on all of its
-- dead letters. The recording locks the job row (as the update that kills the job in the same
-- transaction would): a state change that commits meanwhile is waited for and read, and one that
-- comes later waits for the dead letter to commit, then sees it.
ALTER TABLE dead_letters ADD COLUMN still_dead boolean NOT NULL DEFAULT true;
UPDATE dead_letters d SET still_dead = false
WHERE d.job_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = d.job_id AND j.state = 'dead');
ALTER TABLE dead_letters ALTER COLUMN still_dead DROP DEFAULT;

CREATE FUNCTION dead_letters_still_dead_from_job() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    job_state job_state;
BEGIN
    IF NEW.job_id IS NULL THEN
        NEW.still_dead := true;
    ELSE
        SELECT j.state INTO job_state FROM jobs j WHERE j.id = NEW.job_id FOR NO KEY UPDATE;
        NEW.still_dead := COALESCE(job_state = 'dead', false);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER dead_letters_still_dead BEFORE INSERT OR UPDATE OF job_id, still_dead ON dead_letters
    FOR EACH ROW EXECUTE FUNCTION dead_letters_still_dead_from_job();

CREATE FUNCTION jobs_dead_letters_still_dead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dead_letters SET still_dead = (NEW.state = 'dead')
    WHERE job_id = NEW.id AND still_dead IS DISTINCT FROM (NEW.state = 'dead');
    RETURN NULL;
END
$$;
-- Only a move into or out of `dead` runs it (the WHEN is checked without calling the function):
-- a claim, a retry or a success does not.
CREATE TRIGGER jobs_dead_letters_still_dead AFTER UPDATE OF state ON jobs
    FOR EACH ROW WHEN ((OLD.state = 'dead') IS DISTINCT FROM (NEW.state = 'dead'))
    EXECUTE FUNCTION jobs_dead_letters_still_dead();

-- "Still dead only" lists and counts the still-dead ones without reading those replayed since.
CREATE INDEX IF NOT EXISTS dead_letters_still_dead ON dead_letters (id) WHERE still_dead;

-- The count per group of the dead letter's own columns that the list's queue, kind, error class and
-- stage filters compare (NULL where it recorded none; NULLS NOT DISTINCT makes it one group). The
-- columns are named as in dead_letters, so the filter's SQL reads both. A filter on these columns
-- is the sum of the groups whose columns match — where a filtered column is NULL the filter falls
-- back to the job's current value, which a group cannot know: those dead letters are counted from
-- the table, through dead_letters_unrecorded (none when every dead letter recorded its kind, class
-- and stage, as the workers' copies do; a message the broker dead-lettered records no class).
-- The overview groups these rows by work queue, class and stage.
CREATE TABLE dead_letter_groups (
    queue          text NOT NULL,
    original_queue text,
    job_kind       text,
    error_class    error_class,
    failure_stage  text,
    count          bigint NOT NULL,
    CONSTRAINT dead_letter_groups_key UNIQUE NULLS NOT DISTINCT (queue, original_queue, job_kind, error_class, failure_stage)
);
CREATE INDEX IF NOT EXISTS dead_letters_unrecorded ON dead_letters (id)
    WHERE job_kind IS NULL OR error_class IS NULL OR failure_stage IS NULL;

-- Statement triggers over the transition tables, as 0012's: a purge of 10,000 dead letters is one
-- grouped update, and the groups change in one order, so concurrent purges do not deadlock on them.
-- Only a change of a grouped column moves a count (a replay's replay_count or a job's
-- still_dead does not).
CREATE FUNCTION dead_letter_groups_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO dead_letter_groups AS g (queue, original_queue, job_kind, error_class, failure_stage, count)
        SELECT queue, original_queue, job_kind, error_class, failure_stage, count(*) FROM new_rows
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ON CONSTRAINT dead_letter_groups_key DO UPDATE SET count = g.count + excluded.count;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE dead_letter_groups g SET count = g.count - gone.n
        FROM (SELECT queue, original_queue, job_kind, error_class, failure_stage, count(*) AS n FROM old_rows
              GROUP BY 1, 2, 3, 4, 5) gone
        WHERE (g.queue, g.original_queue, g.job_kind, g.error_class, g.failure_stage)
              IS NOT DISTINCT FROM (gone.queue, gone.original_queue, gone.job_kind, gone.error_class, gone.failure_stage);
        DELETE FROM dead_letter_groups WHERE count = 0;
    ELSIF EXISTS (SELECT 1 FROM old_rows r JOIN new_rows w USING (id)
                  WHERE (r.queue, r.original_queue, r.job_kind, r.error_class, r.failure_stage)
                        IS DISTINCT FROM (w.queue, w.original_queue, w.job_kind, w.error_class, w.failure_stage)) THEN
        INSERT INTO dead_letter_groups AS g (queue, original_queue, job_kind, error_class, failure_stage, count)
        SELECT queue, original_queue, job_kind, error_class, failure_stage, sum(n) FROM (
            SELECT r.queue, r.original_queue, r.job_kind, r.error_class, r.failure_stage, -1 AS n
            FROM old_rows r JOIN new_rows w USING (id)
            WHERE (r.queue, r.original_queue, r.job_kind, r.error_class, r.failure_stage)
                  IS DISTINCT FROM (w.queue, w.original_queue, w.job_kind, w.error_class, w.failure_stage)
            UNION ALL
            SELECT w.queue, w.original_queue, w.job_kind, w.error_class, w.failure_stage, 1
            FROM old_rows r JOIN new_rows w USING (id)
            WHERE (r.queue, r.original_queue, r.job_kind, r.error_class, r.failure_stage)
                  IS DISTINCT FROM (w.queue, w.original_queue, w.job_kind, w.error_class, w.failure_stage)
        ) delta GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ON CONSTRAINT dead_letter_groups_key DO UPDATE SET count = g.count + excluded.count;
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

INSERT INTO dead_letter_groups (queue, original_queue, job_kind, error_class, failure_stage, count)
SELECT queue, original_queue, job_kind, error_class, failure_stage, count(*) FROM dead_letters GROUP BY 1, 2, 3, 4, 5;
