import Foundation
import Postgres

/// The job-row side of the runtime: the transactions around each step of an attempt. Every
/// state change goes through ``JobTransition``, guarded by the state (and attempt) it
/// expects, so a stale or duplicate delivery changes nothing.
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
            if redelivered { try JobTransition.closeAbandonedAttempts(of: envelope.jobID, on: connection) }
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
                if redelivered { try JobTransition.closeAbandonedAttempts(of: envelope.jobID, on: connection) }
                let limits = attemptLimit.map { [envelope.jobID: $0] } ?? [:]
                let rows = try JobTransition.claimFinished(where: "id = \(envelope.jobID)", worker: worker, attemptLimits: limits, on: connection)
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
                    try JobTransition.closeAbandonedAttempts(of: request.envelope.jobID, on: connection)
                }
                var finished: [UUID: PostgresRow] = [:]
                var limits: [UUID: Int] = [:]
                for request in requests { if let limit = request.attemptLimit { limits[request.envelope.jobID] = limit } }
                for row in try JobTransition.claimFinished(where: "id = ANY(\(ids))", worker: worker, attemptLimits: limits, on: connection) {
                    finished[try row.decode(UUID.self, column: "id")] = row
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
            guard case .superseded(let reason) = try completion.commit(connection) else { return .succeeded }
            try JobTransition.reviseToSuperseded(job, reason: reason, on: connection)
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
        let claimed = try JobTransition.claim(envelope, worker: worker, attemptLimit: attemptLimit, on: connection)
        guard let row = claimed.first else { return nil }
        var job = try claimedJob(row, envelope: envelope, redelivered: redelivered)
        job.abandonedAttempts = try row.decode(Int.self, column: "abandoned")
        return job
    }

    /// A claimed job from a row of both claim statements (attempts, kind, queue, product_id,
    /// iteration, selection_version, max_attempts, rate_limited_waits, by name).
    private static func claimedJob(_ row: PostgresRow, envelope: JobEnvelope, redelivered: Bool) throws -> ClaimedJob {
        ClaimedJob(
            id: envelope.jobID, kind: try row.decode(String.self, column: "kind"), queue: try row.decode(String.self, column: "queue"),
            productID: try row.decode(UUID?.self, column: "product_id"), attempt: try row.decode(Int.self, column: "attempts"),
            maxAttempts: try row.decode(Int.self, column: "max_attempts"), rateLimitedWaits: try row.decode(Int.self, column: "rate_limited_waits"),
            iteration: try row.decode(Int?.self, column: "iteration"), selectionVersion: try row.decode(Int?.self, column: "selection_version"),
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
        for row in try connection.query("SELECT id, state::text AS state FROM jobs WHERE id = ANY(\(jobIDs))") {
            let (id, state) = try row.decode((UUID, String).self)
            results[id] = .finished(JobState(rawValue: state) ?? .dead)
        }
        return results
    }

    /// Marks the claimed attempt finished and applies `completion`, in one transaction.
    /// Returns the job's final state (`succeeded`, or `superseded` when declared so or when the
    /// commit decided it), or nil when the claim was lost (another delivery of the same job
    /// took over): then nothing was written.
    static func complete(_ job: ClaimedJob, with completion: JobCompletion, on connection: PostgresConnection) throws -> JobState? {
        try connection.transaction { connection in
            switch completion.declared {
            case .succeeded:
                // The job and its attempt row in one statement (the common path, kept short).
                guard try JobTransition.succeed(job, on: connection) else { return nil }
                // The commit may find the job's input stale under its locks: it then wrote
                // nothing, and the job is superseded in this same transaction.
                guard case .superseded(let reason) = try completion.commit(connection) else { return .succeeded }
                try JobTransition.reviseToSuperseded(job, reason: reason, on: connection)
                return .superseded
            case .superseded(let reason):
                guard try JobTransition.supersede(job, reason: reason, on: connection) else { return nil }
                _ = try completion.commit(connection)
                return .superseded
            }
        }
    }

    /// After a lost claim: whether another attempt owns the job or finished it (then this
    /// delivery can be acked), as opposed to the claim having vanished (then the message must
    /// go back to the queue, or the job would never run).
    static func isOwnedElsewhere(_ job: ClaimedJob, on connection: PostgresConnection) throws -> Bool {
        let rows = try connection.query("SELECT state::text AS state, attempts FROM jobs WHERE id = \(job.id)")
        guard let row = rows.first, let state = JobState(rawValue: try row.decode(String.self, column: "state")) else { return true }
        if state.isTerminal { return true }
        let attempts = try row.decode(Int.self, column: "attempts")
        return state == .running && attempts > job.attempt
    }

    /// Records a failed attempt that will be retried: the job waits in `retrying` and its
    /// message is parked in a delay queue through the outbox — both in one transaction.
    static func scheduleRetry(
        _ job: ClaimedJob, failure: JobFailure, delay: Duration, countsAttempt: Bool, message: OutboxMessage,
        on connection: PostgresConnection
    ) throws -> Bool {
        try connection.transaction { connection in
            guard try JobTransition.retry(job, failure: failure, delay: delay, countsAttempt: countsAttempt, on: connection) else { return false }
            try message.insert(on: connection)
            return true
        }
    }

    /// Dead-letters a claimed job: the job is `dead` with its reason and the message goes to
    /// `<queue>.dead` through the outbox, in one transaction.
    static func deadLetter(_ job: ClaimedJob, failure: JobFailure, message: OutboxMessage, on connection: PostgresConnection) throws -> Bool {
        try connection.transaction { connection in
            guard try JobTransition.kill(job, failure: failure, on: connection) else { return false }
            try message.insert(on: connection)
            return true
        }
    }

    /// Dead-letters a message that could not be claimed (malformed or unknown job). When it
    /// names a job that exists and is not terminal, that job is marked dead too.
    static func deadLetterUnclaimed(jobID: UUID?, reason: String, message: OutboxMessage, on connection: PostgresConnection) throws {
        try connection.transaction { connection in
            if let jobID { try JobTransition.killUnclaimed(jobID, reason: reason, on: connection) }
            try message.insert(on: connection)
        }
    }
}
