public import Foundation
import Postgres

/// One dead letter as the lists show it.
public struct DeadLetterRow: Sendable, Encodable {
    public var id: Int64
    public var queue: String
    public var kind: String?
    public var errorClass: String?
    public var stage: String?
    public var reason: String
    public var jobID: UUID?
    public var jobState: String?
    public var productID: UUID?
    public var deadLetteredAt: Date
    public var replayCount: Int

    /// Over `dead_letters d` alone: the job's values are scalar lookups by its key, one per row
    /// shown. A join let the planner, expecting one row from the filters, compare every job
    /// with every row (seconds at 100,000 dead letters, benchmarks/console/run).
    static let columns: SQL = """
        d.id, COALESCE(d.original_queue, d.queue) AS queue, COALESCE(d.job_kind, (SELECT kind FROM jobs WHERE id = d.job_id)) AS kind,
        COALESCE(d.error_class, (SELECT error_class FROM jobs WHERE id = d.job_id))::text AS error_class,
        COALESCE(d.failure_stage, (SELECT failure_stage FROM jobs WHERE id = d.job_id)) AS stage,
        d.reason, d.job_id, (SELECT state::text FROM jobs WHERE id = d.job_id) AS job_state, d.product_id, d.dead_lettered_at,
        d.replay_count
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, column: "id")
        queue = try row.decode(String.self, column: "queue")
        kind = try row.decode(String?.self, column: "kind")
        errorClass = try row.decode(String?.self, column: "error_class")
        stage = try row.decode(String?.self, column: "stage")
        reason = try row.decode(String.self, column: "reason")
        jobID = try row.decode(UUID?.self, column: "job_id")
        jobState = try row.decode(String?.self, column: "job_state")
        productID = try row.decode(UUID?.self, column: "product_id")
        deadLetteredAt = try row.decode(Date.self, column: "dead_lettered_at")
        replayCount = try row.decode(Int.self, column: "replay_count")
    }
}
