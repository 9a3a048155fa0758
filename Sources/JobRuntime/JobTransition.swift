public import Foundation
public import Postgres

/// The one place that writes `jobs.state` and `job_attempts` (as ``ProductTransition`` is for
/// `products.status`). Every statement's state guard — `state IN (...)` — is derived from
/// ``JobState/canTransition(to:)``, so a stale or duplicate delivery changes nothing and the
/// table in `JobState` is what the database enforces. Statements run in the caller's
/// transaction; the hot paths are one statement each (the claim, the inline batch's finish,
/// a success), so some entries return rows or take the caller's condition instead of being
/// one call per job.
public enum JobTransition {
    /// The states from which `target` is legal, in ``JobState`` order.
    public static func sources(of target: JobState) -> [JobState] {
        JobState.allCases.filter { $0.canTransition(to: target) }
    }

    /// `state IN (...)` for the moves to `target`, less `excluding` (a caller that must not
    /// touch, say, running jobs narrows the table's guard; it never widens it).
    public static func guardSQL(to target: JobState, excluding: Set<JobState> = []) -> SQL {
        let states = sources(of: target).filter { !excluding.contains($0) }
        precondition(!states.isEmpty, "no legal move to \(target.rawValue)")
        return "state IN (\(unescaped: states.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
    }

    /// The guard of an attempt's own claim: the job is still `running` under this attempt, and
    /// `target` is legal from there.
    static func ownClaim(_ job: ClaimedJob, to target: JobState) -> SQL {
        precondition(JobState.running.canTransition(to: target), "running → \(target.rawValue) is not a legal move")
        return "id = \(job.id) AND state = 'running' AND attempts = \(job.attempt)"
    }

    // MARK: - The claim

    /// The claim: `envelope`'s job goes to `running` for one more attempt with an open attempt
    /// row, in one statement. Its row (attempts, kind, queue, product_id, iteration,
    /// selection_version, max_attempts, rate_limited_waits, abandoned), or none when the job
    /// is not claimable (unknown or terminal).
    static func claim(
        _ envelope: JobEnvelope, worker: String, attemptLimit: Int?, on connection: PostgresConnection
    ) throws -> PostgresRows {
        try connection.query("""
            WITH claimed AS (
                UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = now(), updated_at = now(),
                       worker = \(worker), next_attempt_at = NULL,
                       max_attempts = CASE WHEN kind = \(envelope.kind) THEN COALESCE(\(attemptLimit)::int, max_attempts)
                                           ELSE max_attempts END
                WHERE id = \(envelope.jobID) AND \(guardSQL(to: .running))
                RETURNING id, attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits,
                          (SELECT count(*) FROM job_attempts a
                           WHERE a.job_id = jobs.id AND a.outcome = \(AttemptOutcome.abandoned.rawValue))::int AS abandoned
            ), attempt AS (
                INSERT INTO job_attempts (job_id, attempt, worker) SELECT id, attempts, \(worker) FROM claimed
            )
            SELECT attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits, abandoned
            FROM claimed
            """)
    }

    /// The one-transaction path's claim: the jobs matching `condition` that are claimable are
    /// claimed and finished at once (`→ running → succeeded`, the claim's guard), each with a
    /// finished attempt row — one statement for a whole batch. Rows of (id, attempts, kind,
    /// queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits).
    /// `attemptLimits` (by job id) are written into `max_attempts`, as the claim does.
    static func claimFinished(
        where condition: SQL, worker: String, attemptLimits: [UUID: Int], on connection: PostgresConnection
    ) throws -> PostgresRows {
        precondition(JobState.running.canTransition(to: .succeeded))
        let limits = PostgresJSON(text: "{" + attemptLimits.map { "\"\($0.key.uuidString.lowercased())\":\($0.value)" }.joined(separator: ",") + "}")
        return try connection.query("""
            WITH done AS (
                UPDATE jobs SET state = 'succeeded', attempts = attempts + 1, worker = \(worker), started_at = now(),
                       finished_at = now(), updated_at = now(), next_attempt_at = NULL,
                       max_attempts = COALESCE((\(limits)::jsonb ->> id::text)::int, max_attempts)
                WHERE \(condition) AND \(guardSQL(to: .running))
                RETURNING id, attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits
            ), attempt AS (
                INSERT INTO job_attempts (job_id, attempt, worker, finished_at, outcome)
                SELECT id, attempts, \(worker), now(), \(AttemptOutcome.succeeded.rawValue) FROM done
            )
            SELECT id, attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits FROM done
            """)
    }

    /// Earlier attempts of `jobID` still open were interrupted (crash, lost connection).
    static func closeAbandonedAttempts(of jobID: UUID, on connection: PostgresConnection) throws {
        try finishOpenAttempts(of: jobID, outcome: .abandoned, on: connection)
    }

    // MARK: - An attempt's end

    /// `running → succeeded` for the attempt's own claim, with its attempt row, in one
    /// statement. False when the claim was lost.
    static func succeed(_ job: ClaimedJob, on connection: PostgresConnection) throws -> Bool {
        try connection.query("""
            WITH done AS (
                UPDATE jobs SET state = 'succeeded', finished_at = now(), updated_at = now()
                WHERE \(ownClaim(job, to: .succeeded))
                RETURNING id
            ), attempt AS (
                UPDATE job_attempts SET finished_at = now(), outcome = \(AttemptOutcome.succeeded.rawValue)
                WHERE job_id IN (SELECT id FROM done) AND attempt = \(job.attempt) AND finished_at IS NULL
            )
            SELECT count(*) AS updated FROM done
            """)[0].decode(Int.self, column: "updated") == 1
    }

    /// `running → superseded` for the attempt's own claim, with its attempt row. False when
    /// the claim was lost.
    static func supersede(_ job: ClaimedJob, reason: String, on connection: PostgresConnection) throws -> Bool {
        let updated = try connection.execute("""
            UPDATE jobs SET state = 'superseded', finished_at = now(), updated_at = now(),
                   last_error = \(reason), error_class = 'permanent', failure_stage = 'superseded'
            WHERE \(ownClaim(job, to: .superseded))
            """)
        guard updated == 1 else { return false }
        try finishAttempt(job, outcome: .superseded, failure: nil, on: connection)
        return true
    }

    /// A job this transaction finished as `succeeded` (``succeed(_:on:)``, ``claimFinished(where:worker:attemptLimits:on:)``)
    /// whose commit then found its input stale: it ends `superseded` instead, with its attempt
    /// row. Not a move of the table — no other transaction ever saw it succeeded; in effect
    /// it is `running → superseded`, decided by the commit.
    static func reviseToSuperseded(_ job: ClaimedJob, reason: String, on connection: PostgresConnection) throws {
        precondition(JobState.running.canTransition(to: .superseded))
        try connection.execute("""
            WITH job AS (
                UPDATE jobs SET state = 'superseded', last_error = \(reason), error_class = 'permanent',
                       failure_stage = 'superseded'
                WHERE id = \(job.id) AND state = 'succeeded' AND attempts = \(job.attempt)
            )
            UPDATE job_attempts SET outcome = \(AttemptOutcome.superseded.rawValue)
            WHERE job_id = \(job.id) AND attempt = \(job.attempt)
            """)
    }

    /// `running → retrying` for the attempt's own claim: the job waits for `delay`; an attempt
    /// that does not count (rate limited) is given back. False when the claim was lost.
    static func retry(
        _ job: ClaimedJob, failure: JobFailure, delay: Duration, countsAttempt: Bool, on connection: PostgresConnection
    ) throws -> Bool {
        let giveBack = countsAttempt ? 0 : 1
        let delayMilliseconds = Int64(delay / .milliseconds(1))
        let updated = try connection.execute("""
            UPDATE jobs SET state = 'retrying', updated_at = now(),
                   attempts = attempts - \(giveBack), rate_limited_waits = rate_limited_waits + \(giveBack),
                   last_error = \(failure.message), error_class = \(failure.errorClass.rawValue)::error_class,
                   failure_stage = \(failure.stage),
                   next_attempt_at = now() + make_interval(secs => \(delayMilliseconds)::float8 / 1000)
            WHERE \(ownClaim(job, to: .retrying))
            """)
        guard updated == 1 else { return false }
        try finishAttempt(job, outcome: countsAttempt ? .failed : .rateLimited, failure: failure, on: connection)
        return true
    }

    /// `running → dead` for the attempt's own claim. False when the claim was lost.
    static func kill(_ job: ClaimedJob, failure: JobFailure, on connection: PostgresConnection) throws -> Bool {
        let updated = try connection.execute("""
            UPDATE jobs SET state = 'dead', finished_at = now(), updated_at = now(),
                   last_error = \(failure.message), error_class = \(failure.errorClass.rawValue)::error_class,
                   failure_stage = \(failure.stage)
            WHERE \(ownClaim(job, to: .dead))
            """)
        guard updated == 1 else { return false }
        try finishAttempt(job, outcome: .failed, failure: failure, on: connection)
        return true
    }

    private static func finishAttempt(_ job: ClaimedJob, outcome: AttemptOutcome, failure: JobFailure?, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE job_attempts SET finished_at = now(), outcome = \(outcome.rawValue),
                   error_class = \(failure?.errorClass.rawValue)::error_class,
                   error_message = \(failure?.message), failure_stage = \(failure?.stage)
            WHERE job_id = \(job.id) AND attempt = \(job.attempt) AND finished_at IS NULL
            """)
    }

    private static func finishOpenAttempts(of jobID: UUID, outcome: AttemptOutcome, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE job_attempts SET finished_at = now(), outcome = \(outcome.rawValue)
            WHERE job_id = \(jobID) AND finished_at IS NULL
            """)
    }

    // MARK: - Outside an attempt

    /// A message that could not be claimed (malformed, or naming a job it does not fit) was
    /// dead-lettered: its job, when it exists and is not terminal, is `dead` too.
    static func killUnclaimed(_ jobID: UUID, reason: String, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE jobs SET state = 'dead', finished_at = now(), updated_at = now(), last_error = \(reason),
                   error_class = 'permanent', failure_stage = 'decode_message'
            WHERE id = \(jobID) AND \(guardSQL(to: .dead))
            """)
    }

    /// A dead letter was recorded for `jobID`: an attempt still open was abandoned, and the
    /// job, unless terminal already, is `dead` with the letter's reason.
    static func killDeadLettered(
        _ jobID: UUID, reason: String, errorClass: ErrorClass?, failureStage: String?, on connection: PostgresConnection
    ) throws {
        try finishOpenAttempts(of: jobID, outcome: .abandoned, on: connection)
        try connection.execute("""
            UPDATE jobs SET state = 'dead', finished_at = now(), updated_at = now(),
                   last_error = COALESCE(\(reason), last_error),
                   error_class = COALESCE(\(errorClass?.rawValue)::error_class, error_class, 'permanent'),
                   failure_stage = COALESCE(\(failureStage), failure_stage)
            WHERE id = \(jobID) AND \(guardSQL(to: .dead))
            """)
    }

    /// An operator cancels one job: it is `cancelled` with `reason`, and an attempt still
    /// open ends `cancelled`. False when the job was not in a state it can be cancelled from.
    public static func cancel(_ jobID: UUID, reason: String, on connection: PostgresConnection) throws -> Bool {
        let updated = try connection.execute("""
            UPDATE jobs SET state = 'cancelled', finished_at = now(), updated_at = now(),
                   last_error = \(reason), error_class = COALESCE(error_class, 'permanent'), failure_stage = 'cancelled'
            WHERE id = \(jobID) AND \(guardSQL(to: .cancelled))
            """)
        guard updated == 1 else { return false }
        try finishOpenAttempts(of: jobID, outcome: .cancelled, on: connection)
        return true
    }

    /// The product's jobs that have not ended are `cancelled` (`excluding` narrows which:
    /// e.g. running ones, left to end by themselves). Returns how many.
    @discardableResult
    public static func cancelJobs(ofProduct productID: UUID, excluding: Set<JobState> = [], on connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            UPDATE jobs SET state = 'cancelled', finished_at = now(), updated_at = now()
            WHERE product_id = \(productID) AND \(guardSQL(to: .cancelled, excluding: excluding))
            """)
    }

    /// The product's jobs of `kinds` waiting to run (queued or retrying, not running: a running
    /// one supersedes itself at its commit) are `superseded`. Returns how many.
    @discardableResult
    public static func supersedeWaitingJobs(ofProduct productID: UUID, kinds: [String], on connection: PostgresConnection) throws -> Int {
        try connection.execute("""
            UPDATE jobs SET state = 'superseded', finished_at = now(), updated_at = now()
            WHERE product_id = \(productID) AND kind = ANY(\(kinds)) AND \(guardSQL(to: .superseded, excluding: [.running]))
            """)
    }

    /// An operator's replay: `dead → queued` with a fresh attempt budget (the earlier attempts
    /// stay in `job_attempts`). False when the job is not dead.
    public static func requeueDead(_ jobID: UUID, on connection: PostgresConnection) throws -> Bool {
        try connection.execute("""
            UPDATE jobs SET state = 'queued', attempts = 0, rate_limited_waits = 0, next_attempt_at = NULL, finished_at = NULL,
                   error_class = COALESCE(error_class, 'permanent'), updated_at = now()
            WHERE id = \(jobID) AND \(guardSQL(to: .queued))
            """) == 1
    }

    /// Adds provider spend to the job's `cost_units` (not a state change; kept here so every
    /// write of `jobs` by a worker is in one file). With `attempt`, only while that attempt
    /// still holds the claim, so a stale attempt cannot write.
    public static func addSpend(_ costUnits: Int, to jobID: UUID, attempt: Int? = nil, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE jobs SET cost_units = cost_units + \(costUnits)
            WHERE id = \(jobID) AND (\(attempt)::int IS NULL OR (state = 'running' AND attempts = \(attempt)))
            """)
    }
}
