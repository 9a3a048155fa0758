import Foundation
import Postgres

/// A `jobs` row as the admin commands show it.
struct JobView: Encodable, Sendable {
    var id: UUID
    var kind: String
    var queue: String
    var state: String
    var productId: UUID?
    var iteration: Int?
    var selectionVersion: Int?
    var attempts: Int
    var maxAttempts: Int
    var rateLimitedWaits: Int
    var lastError: String?
    var errorClass: String?
    var failureStage: String?
    var createdAt: Date
    var updatedAt: Date
    var finishedAt: Date?

    static let columns: SQL = """
        id, kind, queue, state::text, product_id, iteration, selection_version, attempts, max_attempts, rate_limited_waits,
        last_error, error_class::text, failure_stage, created_at, updated_at, finished_at
        """

    init(_ row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: "id")
        kind = try row.decode(String.self, column: "kind")
        queue = try row.decode(String.self, column: "queue")
        state = try row.decode(String.self, column: "state")
        productId = try row.decode(UUID?.self, column: "product_id")
        iteration = try row.decode(Int?.self, column: "iteration")
        selectionVersion = try row.decode(Int?.self, column: "selection_version")
        attempts = try row.decode(Int.self, column: "attempts")
        maxAttempts = try row.decode(Int.self, column: "max_attempts")
        rateLimitedWaits = try row.decode(Int.self, column: "rate_limited_waits")
        lastError = try row.decode(String?.self, column: "last_error")
        errorClass = try row.decode(String?.self, column: "error_class")
        failureStage = try row.decode(String?.self, column: "failure_stage")
        createdAt = try row.decode(Date.self, column: "created_at")
        updatedAt = try row.decode(Date.self, column: "updated_at")
        finishedAt = try row.decode(Date?.self, column: "finished_at")
    }

    static func find(_ id: UUID, on connection: PostgresConnection) throws -> JobView? {
        try connection.query("SELECT \(columns) FROM jobs WHERE id = \(id)").first.map(JobView.init)
    }
}
