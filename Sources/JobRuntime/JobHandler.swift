public import Foundation
public import Postgres

/// What a worker does with one job kind. The runtime claims the job before calling
/// ``perform(_:)`` and commits the returned completion in the same transaction as the job's
/// success, then acks; a thrown error is classified and retried or dead-lettered.
public protocol JobHandler: Sendable {
    /// The job kinds this handler takes from its queue.
    var kinds: Set<String> { get }
    /// Does the work (outside any transaction). Throw ``JobFailure`` to choose the error
    /// class; other errors count as transient.
    func perform(_ job: ClaimedJob) async throws -> JobCompletion
}

/// A handler whose jobs (all or some) are short and touch only the database: its completion
/// can be applied in the transaction that claims the job. The runtime then claims, applies
/// and finishes such a job with one commit instead of two (a claim commit before the work,
/// a success commit after it); nothing is held open while anything slow happens. Such jobs
/// that arrive while others are committing share one transaction (up to
/// ``WorkerService/Configuration/inlineBatchLimit``), one after the other in it.
public protocol InlineJobHandler: JobHandler {
    /// The completion for `job` when it can be applied inside the claim transaction, or nil
    /// for the regular path (``JobHandler/perform(_:)`` after a durable claim). Must be quick
    /// and free of effects outside the returned completion: it runs with the job row locked,
    /// possibly in a transaction shared with other jobs, and may run more than once for one
    /// attempt — when anything in a shared transaction fails, all of it rolls back and each
    /// job runs again alone, where a failure of its own is recorded as this attempt's. Throw
    /// ``JobFailure`` to fail the attempt without committing.
    func inlineCompletion(for job: ClaimedJob) throws -> JobCompletion?
}

/// A job claimed for one attempt.
public struct ClaimedJob: Sendable {
    public var id: UUID
    public var kind: String
    public var queue: String
    public var productID: UUID?
    /// 1-based attempt number of this claim.
    public var attempt: Int
    public var maxAttempts: Int
    /// Rate-limited waits so far (they do not count as attempts).
    public var rateLimitedWaits: Int
    /// Earlier attempts that a crash or a lost connection interrupted before they recorded an
    /// outcome. They do not count against the attempt limit of transient errors: a message that
    /// crashes its worker every time is bounded by the queue's delivery limit instead.
    public var abandonedAttempts: Int = 0
    public var iteration: Int?
    public var selectionVersion: Int?
    public var payload: Data
    /// True when the broker delivered this message before (a crash or a lost ack).
    public var redelivered: Bool

    /// The attempts that ended, or this one ends, with an error: the count the attempt limit
    /// of transient errors bounds.
    public var failedAttempts: Int { attempt - abandonedAttempts }

    /// The payload decoded as `T`; a payload that does not decode is a permanent failure.
    public func decodePayload<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: payload)
        } catch {
            throw JobFailure(.permanent, "payload does not match \(T.self): \(error)", stage: "decode_payload")
        }
    }
}

/// The result of a successful ``JobHandler/perform(_:)``.
public struct JobCompletion: Sendable {
    enum Outcome: Sendable, Equatable {
        case succeeded
        case superseded(reason: String)
    }

    let outcome: Outcome
    let commit: @Sendable (PostgresConnection) throws -> Void

    /// Success: `commit` writes the job's results and follow-up outbox rows inside the
    /// transaction that also marks the job succeeded. Unique constraints on the results
    /// make a second application impossible.
    public static func succeeded(_ commit: @escaping @Sendable (PostgresConnection) throws -> Void = { _ in }) -> JobCompletion {
        JobCompletion(outcome: .succeeded, commit: commit)
    }

    /// The job's input is stale (e.g. an older selection): it is marked superseded, acked,
    /// and nothing of it is activated. `commit` may record what it needs to.
    public static func superseded(_ reason: String, _ commit: @escaping @Sendable (PostgresConnection) throws -> Void = { _ in }) -> JobCompletion {
        JobCompletion(outcome: .superseded(reason: reason), commit: commit)
    }
}

/// A classified failure of one attempt.
public struct JobFailure: Error, Sendable, CustomStringConvertible {
    public var errorClass: ErrorClass
    public var message: String
    /// Where it failed (e.g. `provider_call`, `decode_png`, `store_blob`), for operators.
    public var stage: String
    /// The provider's Retry-After, for `rate_limited`.
    public var retryAfter: Duration?

    public init(_ errorClass: ErrorClass, _ message: String, stage: String, retryAfter: Duration? = nil) {
        self.errorClass = errorClass
        self.message = message
        self.stage = stage
        self.retryAfter = retryAfter
    }

    public var description: String { "\(errorClass.rawValue) failure at \(stage): \(message)" }

    /// Classifies any error a handler threw.
    public static func classify(_ error: any Error) -> JobFailure {
        switch error {
        case let failure as JobFailure:
            failure
        case let postgres as PostgresError:
            JobFailure(postgres.isRetriable ? .transient : .permanent, postgres.debugDescription, stage: "database")
        default:
            JobFailure(.transient, String(reflecting: error), stage: "handler")
        }
    }
}
