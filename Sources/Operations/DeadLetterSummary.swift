public import Foundation
public import Postgres

/// One dead letter as `dlq list` shows it (and `dlq show` and the console's dead-letter page
/// at the head of a ``DeadLetterDetail``).
public struct DeadLetterSummary: Encodable, Sendable {
    public var id: Int64
    public var deadLetteredAt: Date
    public var queue: String
    public var originalQueue: String
    public var jobId: UUID?
    public var jobKind: String?
    /// The job's state now: `dead` until replayed; `queued`/`running`/`succeeded` after a replay.
    public var jobState: String?
    public var productId: UUID?
    public var errorClass: String?
    public var failureStage: String?
    public var reason: String
    public var replayCount: Int
    public var lastReplayedAt: Date?

    /// Columns for ``init(_:)``, from `dead_letters d LEFT JOIN jobs j`.
    public static let columns: SQL = """
        d.id, d.dead_lettered_at, d.queue, COALESCE(d.original_queue, d.queue) AS original_queue, d.job_id,
        COALESCE(d.job_kind, j.kind) AS job_kind, j.state::text AS job_state, d.product_id,
        COALESCE(d.error_class, j.error_class)::text AS error_class, COALESCE(d.failure_stage, j.failure_stage) AS failure_stage,
        d.reason, d.replay_count, d.last_replayed_at
        """

    public init(_ row: PostgresRow) throws {
        id = try row.decode(Int64.self, column: "id")
        deadLetteredAt = try row.decode(Date.self, column: "dead_lettered_at")
        queue = try row.decode(String.self, column: "queue")
        originalQueue = try row.decode(String.self, column: "original_queue")
        jobId = try row.decode(UUID?.self, column: "job_id")
        jobKind = try row.decode(String?.self, column: "job_kind")
        jobState = try row.decode(String?.self, column: "job_state")
        productId = try row.decode(UUID?.self, column: "product_id")
        errorClass = try row.decode(String?.self, column: "error_class")
        failureStage = try row.decode(String?.self, column: "failure_stage")
        reason = try row.decode(String.self, column: "reason")
        replayCount = try row.decode(Int.self, column: "replay_count")
        lastReplayedAt = try row.decode(Date?.self, column: "last_replayed_at")
    }
}
