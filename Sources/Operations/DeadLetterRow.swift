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

    static let columns: SQL = """
        d.id, COALESCE(d.original_queue, d.queue) AS queue, COALESCE(d.job_kind, j.kind) AS kind,
        COALESCE(d.error_class, j.error_class)::text AS error_class, COALESCE(d.failure_stage, j.failure_stage) AS stage,
        d.reason, d.job_id, j.state::text AS job_state, d.product_id, d.dead_lettered_at, d.replay_count
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
