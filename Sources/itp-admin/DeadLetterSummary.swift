import Foundation
import Postgres

/// One dead letter as `dlq list` shows it.
struct DeadLetterSummary: Encodable, Sendable {
    var id: Int64
    var deadLetteredAt: Date
    var queue: String
    var originalQueue: String
    var jobId: UUID?
    var jobKind: String?
    /// The job's state now: `dead` until replayed; `queued`/`running`/`succeeded` after a replay.
    var jobState: String?
    var productId: UUID?
    var errorClass: String?
    var failureStage: String?
    var reason: String
    var replayCount: Int
    var lastReplayedAt: Date?

    /// Columns for ``init(_:)``, from `dead_letters d LEFT JOIN jobs j`.
    static let columns: SQL = """
        d.id, d.dead_lettered_at, d.queue, COALESCE(d.original_queue, d.queue), d.job_id, COALESCE(d.job_kind, j.kind),
        j.state::text, d.product_id, COALESCE(d.error_class, j.error_class)::text, COALESCE(d.failure_stage, j.failure_stage),
        d.reason, d.replay_count, d.last_replayed_at
        """

    init(_ row: PostgresRow) throws {
        id = try row.decode(Int64.self, at: 0)
        deadLetteredAt = try row.decode(Date.self, at: 1)
        queue = try row.decode(String.self, at: 2)
        originalQueue = try row.decode(String.self, at: 3)
        jobId = try row.decode(UUID?.self, at: 4)
        jobKind = try row.decode(String?.self, at: 5)
        jobState = try row.decode(String?.self, at: 6)
        productId = try row.decode(UUID?.self, at: 7)
        errorClass = try row.decode(String?.self, at: 8)
        failureStage = try row.decode(String?.self, at: 9)
        reason = try row.decode(String.self, at: 10)
        replayCount = try row.decode(Int.self, at: 11)
        lastReplayedAt = try row.decode(Date?.self, at: 12)
    }

    static func select(_ filter: DeadLetterFilter, limit: Int? = nil, on connection: PostgresConnection) throws -> [DeadLetterSummary] {
        let limitClause: SQL = limit.map { (count: Int) -> SQL in "LIMIT \(count)" } ?? ""
        return try connection.query("""
            SELECT \(columns) FROM dead_letters d LEFT JOIN jobs j ON j.id = d.job_id
            WHERE \(filter.conditions)
            ORDER BY d.id \(limitClause)
            """).map(DeadLetterSummary.init)
    }
}
