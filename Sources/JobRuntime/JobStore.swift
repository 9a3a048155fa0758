import Foundation
import Postgres

/// The job-row side of the runtime: every state change is one statement guarded by the
/// state (and attempt) it expects, so a stale or duplicate delivery changes nothing.
enum JobStore {
    enum ClaimResult: Sendable {
        case claimed(ClaimedJob)
        /// The job is already terminal (succeeded, cancelled, superseded, dead): ack, no work.
        case finished(JobState)
        /// No such job: the message is not ours to run.
        case unknown
    }

    /// Claims `envelope`'s job for one attempt, in its own transaction. The commit is durable:
    /// a claim lost in a database crash would leave the worker finishing a job whose row says
    /// it was never started.
    ///
    /// - Parameter attemptLimit: the claiming worker's attempt limit for the envelope's kind
    ///   (its retry policy's `maxAttempts`), written into `jobs.max_attempts` by the claim so
    ///   the row says what the worker that decides the retry really allows, whatever the
    ///   enqueuer wrote. Nil leaves the row's value.
    static func claim(
        _ envelope: JobEnvelope, worker: String, redelivered: Bool, attemptLimit: Int? = nil, on connection: PostgresConnection
    ) throws -> ClaimResult {
        try connection.transaction { connection in
            if redelivered { try closeAbandonedAttempts(of: envelope.jobID, on: connection) }
            if let job = try claimRow(envelope, worker: worker, redelivered: redelivered, attemptLimit: attemptLimit, on: connection) {
                return .claimed(job)
            }
            return try unclaimable(envelope.jobID, on: connection)
        }
    }

    /// What ``claimAndComplete(_:worker:redelivered:attemptLimit:inline:on:)`` did.
    enum InlineResult: Sendable {
        /// Not completed here: the handler wants the regular path (the job is then claimed,
        /// durably), or the job is unknown or already terminal.
        case claim(ClaimResult)
        /// Claimed, applied and finished (`succeeded` or `superseded`) in one transaction.
        case completed(ClaimedJob, JobState)
        /// The completion failed and its transaction rolled back: nothing of this attempt
        /// is recorded yet. The caller claims the job and records the failure.
        case failed(ClaimedJob, JobFailure)
    }

    /// The one-transaction path for short database-only jobs (``InlineJobHandler``): the job
    /// goes to `succeeded` with its attempt row, the handler's completion is applied, and all
    /// of it commits together — one commit per job instead of a claim commit and a success
    /// commit. A crash before the commit leaves no trace: the redelivery runs it anew.
    static func claimAndComplete(
        _ envelope: JobEnvelope, worker: String, redelivered: Bool, attemptLimit: Int? = nil,
        inline: @escaping (ClaimedJob) throws -> JobCompletion?, on connection: PostgresConnection
    ) throws -> InlineResult {
        do {
            return try connection.transaction { connection in
                if redelivered { try closeAbandonedAttempts(of: envelope.jobID, on: connection) }
                let limits = attemptLimit.map { [envelope.jobID: $0] } ?? [:]
                let rows = try finishRows(where: "id = \(envelope.jobID)", worker: worker, attemptLimits: limits, on: connection)
                guard let row = rows.first else { return try .claim(unclaimable(envelope.jobID, on: connection)) }
                let job = try claimedJob(row, envelope: envelope, redelivered: redelivered)
                return .completed(job, try applyInline(job, inline: inline, on: connection))
            }
        } catch is NotInline {
            // The handler wants this job on the regular path: the statement above rolled back.
            return .claim(try claim(envelope, worker: worker, redelivered: redelivered, attemptLimit: attemptLimit, on: connection))
        } catch let failed as InlineCompletionFailed {
            return .failed(failed.job, failed.failure)
        }
    }

    /// One job of ``claimAndCompleteBatch(_:worker:inline:on:)``.
    struct InlineRequest: Sendable {
        var envelope: JobEnvelope
        var redelivered: Bool
        /// Written into the row when the job falls back to the regular claim (see ``claim(_:worker:redelivered:attemptLimit:on:)``).
        var attemptLimit: Int? = nil
    }

    /// Several short jobs through the one-transaction path together: one statement claims and
    /// finishes all of them, each handler's completion is applied in turn, and one commit
    /// makes them durable together (one commit and a few statements for the batch, instead of
    /// a commit and three statements per job). Answers in the order of `requests`.
    ///
    /// Nil when they cannot go together — the same job twice, a handler that wants the regular
    /// path for one of them, a completion that fails: then the transaction has rolled back,
    /// nothing of any of them is recorded, and the caller runs each on its own
    /// (``claimAndComplete(_:worker:redelivered:attemptLimit:inline:on:)``), where each succeeds or fails
    /// alone. A retryable transaction failure runs the batch again; a lost connection is thrown.
    static func claimAndCompleteBatch(
        _ requests: [InlineRequest], worker: String,
        inline: @escaping (ClaimedJob) throws -> JobCompletion?, on connection: PostgresConnection
    ) throws -> [InlineResult]? {
        let ids = requests.map(\.envelope.jobID)
        guard Set(ids).count == ids.count else { return nil }
        do {
            return try connection.transaction { connection in
                for request in requests where request.redelivered {
                    try closeAbandonedAttempts(of: request.envelope.jobID, on: connection)
                }
                var finished: [UUID: PostgresRow] = [:]
                var limits: [UUID: Int] = [:]
                for request in requests { if let limit = request.attemptLimit { limits[request.envelope.jobID] = limit } }
                for row in try finishRows(where: "id = ANY(\(ids))", worker: worker, attemptLimits: limits, on: connection) {
                    finished[try row.decode(UUID.self, at: 8)] = row
                }
                let notClaimed = try unclaimable(ids.filter { finished[$0] == nil }, on: connection)
                return try requests.map { request -> InlineResult in
                    guard let row = finished[request.envelope.jobID] else {
                        return .claim(notClaimed[request.envelope.jobID] ?? .unknown)
                    }
                    let job = try claimedJob(row, envelope: request.envelope, redelivered: request.redelivered)
                    return .completed(job, try applyInline(job, inline: inline, on: connection))
                }
            }
        } catch is NotInline {
            return nil
        } catch is InlineCompletionFailed {
            return nil
        }
    }

    /// The one-transaction path's claim: the jobs matching `condition` that are claimable go
    /// straight to `succeeded`, each with a finished attempt row. Rows of (attempts, kind,
    /// queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits, id).
    /// `attemptLimits` (by job id) are written into `max_attempts`, as the regular claim does.
    private static func finishRows(
        where condition: SQL, worker: String, attemptLimits: [UUID: Int], on connection: PostgresConnection
    ) throws -> PostgresRows {
        let limits = PostgresJSON(text: "{" + attemptLimits.map { "\"\($0.key.uuidString.lowercased())\":\($0.value)" }.joined(separator: ",") + "}")
        // The transaction is what makes this one attempt: the completion applied after it sees
        // the job already finished, as it will be at the commit.
        return try connection.query("""
            WITH done AS (
                UPDATE jobs SET state = 'succeeded', attempts = attempts + 1, worker = \(worker), started_at = now(),
                       finished_at = now(), updated_at = now(), next_attempt_at = NULL,
                       max_attempts = COALESCE((\(limits)::jsonb ->> id::text)::int, max_attempts)
                WHERE \(condition) AND state IN ('queued', 'retrying', 'running')
                RETURNING id, attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits
            ), attempt AS (
                INSERT INTO job_attempts (job_id, attempt, worker, finished_at, outcome)
                SELECT id, attempts, \(worker), now(), 'succeeded' FROM done
            )
            SELECT attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits, id FROM done
            """)
    }

    private struct NotInline: Error {}

    private struct InlineCompletionFailed: Error {
        var job: ClaimedJob
        var failure: JobFailure
    }

    /// Applies the handler's inline completion to `job`, claimed and finished by the statement
    /// before it in this transaction, and returns the job's final state (`succeeded` or
    /// `superseded`). Throws ``NotInline`` when the handler wants the regular path and
    /// ``InlineCompletionFailed`` when the completion fails; a retryable transaction failure
    /// or a lost connection is rethrown as it is.
    private static func applyInline(
        _ job: ClaimedJob, inline: (ClaimedJob) throws -> JobCompletion?, on connection: PostgresConnection
    ) throws -> JobState {
        do {
            guard let completion = try inline(job) else { throw NotInline() }
            try completion.commit(connection)
            guard case .superseded(let reason) = completion.outcome else { return .succeeded }
            try connection.execute("""
                WITH job AS (
                    UPDATE jobs SET state = 'superseded', last_error = \(reason), error_class = 'permanent',
                           failure_stage = 'superseded'
                    WHERE id = \(job.id)
                )
                UPDATE job_attempts SET outcome = 'superseded' WHERE job_id = \(job.id) AND attempt = \(job.attempt)
                """)
            return .superseded
        } catch let error as PostgresError where error.isRetryableTransactionFailure || error.isConnectionFailure {
            throw error  // the transaction runs again, or the caller reconnects
        } catch is NotInline {
            throw NotInline()
        } catch {
            throw InlineCompletionFailed(job: job, failure: JobFailure.classify(error).at(stage: "commit_results"))
        }
    }

    /// The claim statement: the job goes to `running` for one more attempt, with an open
    /// attempt row. Nil when the job is not claimable (unknown or terminal).
    private static func claimRow(
        _ envelope: JobEnvelope, worker: String, redelivered: Bool, attemptLimit: Int?, on connection: PostgresConnection
    ) throws -> ClaimedJob? {
        // One statement in the common case: the state guard is the transition table's
        // "→ running" row (queued, retrying, or running again after a crash).
        let claimed = try connection.query("""
            WITH claimed AS (
                UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = now(), updated_at = now(),
                       worker = \(worker), next_attempt_at = NULL,
                       max_attempts = CASE WHEN kind = \(envelope.kind) THEN COALESCE(\(attemptLimit)::int, max_attempts)
                                           ELSE max_attempts END
                WHERE id = \(envelope.jobID) AND state IN ('queued', 'retrying', 'running')
                RETURNING id, attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits,
                          (SELECT count(*) FROM job_attempts a WHERE a.job_id = jobs.id AND a.outcome = 'abandoned')::int AS abandoned
            ), attempt AS (
                INSERT INTO job_attempts (job_id, attempt, worker) SELECT id, attempts, \(worker) FROM claimed
            )
            SELECT attempts, kind, queue, product_id, iteration, selection_version, max_attempts, rate_limited_waits, abandoned FROM claimed
            """)
        guard let row = claimed.first else { return nil }
        var job = try claimedJob(row, envelope: envelope, redelivered: redelivered)
        job.abandonedAttempts = try row.decode(Int.self, at: 8)
        return job
    }

    /// A claimed job from a row of (attempts, kind, queue, product_id, iteration,
    /// selection_version, max_attempts, rate_limited_waits), as both claim statements return.
    private static func claimedJob(_ row: PostgresRow, envelope: JobEnvelope, redelivered: Bool) throws -> ClaimedJob {
        ClaimedJob(
            id: envelope.jobID, kind: try row.decode(String.self, at: 1), queue: try row.decode(String.self, at: 2),
            productID: try row.decode(UUID?.self, at: 3), attempt: try row.decode(Int.self, at: 0),
            maxAttempts: try row.decode(Int.self, at: 6), rateLimitedWaits: try row.decode(Int.self, at: 7),
            iteration: try row.decode(Int?.self, at: 4), selectionVersion: try row.decode(Int?.self, at: 5),
            payload: envelope.payload, redelivered: redelivered)
    }

    /// Why a job could not be claimed: it does not exist, or it is terminal.
    private static func unclaimable(_ jobID: UUID, on connection: PostgresConnection) throws -> ClaimResult {
        try unclaimable([jobID], on: connection)[jobID] ?? .unknown
    }

    /// Why these jobs could not be claimed: ``ClaimResult/finished(_:)`` for those that exist
    /// (they are terminal); the others do not exist (``ClaimResult/unknown``, not listed).
    private static func unclaimable(_ jobIDs: [UUID], on connection: PostgresConnection) throws -> [UUID: ClaimResult] {
        guard !jobIDs.isEmpty else { return [:] }
        var results: [UUID: ClaimResult] = [:]
        for row in try connection.query("SELECT id, state::text FROM jobs WHERE id = ANY(\(jobIDs))") {
            results[try row.decode(UUID.self, at: 0)] = .finished(JobState(rawValue: try row.decode(String.self, at: 1)) ?? .dead)
        }
        return results
    }

    /// An earlier attempt still open was interrupted (crash, lost connection).
    private static func closeAbandonedAttempts(of jobID: UUID, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE job_attempts SET finished_at = now(), outcome = 'abandoned'
            WHERE job_id = \(jobID) AND finished_at IS NULL
            """)
    }

    /// Marks the claimed attempt finished with `outcome` and applies `completion`, in one
    /// transaction. Returns false when the claim was lost (another delivery of the same job
    /// took over): then nothing was written.
    static func complete(_ job: ClaimedJob, with completion: JobCompletion, on connection: PostgresConnection) throws -> Bool {
        try connection.transaction { connection in
            let updated: Int
            let outcome: String
            switch completion.outcome {
            case .succeeded:
                outcome = "succeeded"
                // The job and its attempt row in one statement (the common path, kept short).
                updated = try connection.query("""
                    WITH done AS (
                        UPDATE jobs SET state = 'succeeded', finished_at = now(), updated_at = now()
                        WHERE id = \(job.id) AND state = 'running' AND attempts = \(job.attempt)
                        RETURNING id
                    ), attempt AS (
                        UPDATE job_attempts SET finished_at = now(), outcome = 'succeeded'
                        WHERE job_id IN (SELECT id FROM done) AND attempt = \(job.attempt) AND finished_at IS NULL
                    )
                    SELECT count(*) FROM done
                    """)[0].decode(Int.self, at: 0)
            case .superseded(let reason):
                outcome = "superseded"
                updated = try connection.execute("""
                    UPDATE jobs SET state = 'superseded', finished_at = now(), updated_at = now(),
                           last_error = \(reason), error_class = 'permanent', failure_stage = 'superseded'
                    WHERE id = \(job.id) AND state = 'running' AND attempts = \(job.attempt)
                    """)
            }
            guard updated == 1 else { return false }
            if outcome != "succeeded" { try finishAttempt(job, outcome: outcome, failure: nil, on: connection) }
            try completion.commit(connection)
            return true
        }
    }

    /// After a lost claim: whether another attempt owns the job or finished it (then this
    /// delivery can be acked), as opposed to the claim having vanished (then the message must
    /// go back to the queue, or the job would never run).
    static func isOwnedElsewhere(_ job: ClaimedJob, on connection: PostgresConnection) throws -> Bool {
        let rows = try connection.query("SELECT state::text, attempts FROM jobs WHERE id = \(job.id)")
        guard let row = rows.first, let state = JobState(rawValue: try row.decode(String.self, at: 0)) else { return true }
        if state.isTerminal { return true }
        let attempts = try row.decode(Int.self, at: 1)
        return state == .running && attempts > job.attempt
    }

    /// Records a failed attempt that will be retried: the job waits in `retrying` and its
    /// message is parked in a delay queue through the outbox — both in one transaction.
    static func scheduleRetry(
        _ job: ClaimedJob, failure: JobFailure, delay: Duration, countsAttempt: Bool, message: OutboxMessage,
        on connection: PostgresConnection
    ) throws -> Bool {
        try connection.transaction { connection in
            let giveBack = countsAttempt ? 0 : 1
            let delayMilliseconds = Int64(delay / .milliseconds(1))
            let updated = try connection.execute("""
                UPDATE jobs SET state = 'retrying', updated_at = now(),
                       attempts = attempts - \(giveBack), rate_limited_waits = rate_limited_waits + \(giveBack),
                       last_error = \(failure.message), error_class = \(failure.errorClass.rawValue)::error_class,
                       failure_stage = \(failure.stage),
                       next_attempt_at = now() + make_interval(secs => \(delayMilliseconds)::float8 / 1000)
                WHERE id = \(job.id) AND state = 'running' AND attempts = \(job.attempt)
                """)
            guard updated == 1 else { return false }
            try finishAttempt(job, outcome: countsAttempt ? "failed" : "rate_limited", failure: failure, on: connection)
            try message.insert(on: connection)
            return true
        }
    }

    /// Dead-letters a claimed job: the job is `dead` with its reason and the message goes to
    /// `<queue>.dead` through the outbox, in one transaction.
    static func deadLetter(_ job: ClaimedJob, failure: JobFailure, message: OutboxMessage, on connection: PostgresConnection) throws -> Bool {
        try connection.transaction { connection in
            let updated = try connection.execute("""
                UPDATE jobs SET state = 'dead', finished_at = now(), updated_at = now(),
                       last_error = \(failure.message), error_class = \(failure.errorClass.rawValue)::error_class,
                       failure_stage = \(failure.stage)
                WHERE id = \(job.id) AND state = 'running' AND attempts = \(job.attempt)
                """)
            guard updated == 1 else { return false }
            try finishAttempt(job, outcome: "failed", failure: failure, on: connection)
            try message.insert(on: connection)
            return true
        }
    }

    /// Dead-letters a message that could not be claimed (malformed or unknown job). When it
    /// names a job that exists and is not terminal, that job is marked dead too.
    static func deadLetterUnclaimed(jobID: UUID?, reason: String, message: OutboxMessage, on connection: PostgresConnection) throws {
        try connection.transaction { connection in
            if let jobID {
                try connection.execute("""
                    UPDATE jobs SET state = 'dead', finished_at = now(), updated_at = now(), last_error = \(reason),
                           error_class = 'permanent', failure_stage = 'decode_message'
                    WHERE id = \(jobID) AND state IN ('queued', 'retrying', 'running')
                    """)
            }
            try message.insert(on: connection)
        }
    }

    private static func finishAttempt(_ job: ClaimedJob, outcome: String, failure: JobFailure?, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE job_attempts SET finished_at = now(), outcome = \(outcome),
                   error_class = \(failure?.errorClass.rawValue)::error_class,
                   error_message = \(failure?.message), failure_stage = \(failure?.stage)
            WHERE job_id = \(job.id) AND attempt = \(job.attempt) AND finished_at IS NULL
            """)
    }
}
