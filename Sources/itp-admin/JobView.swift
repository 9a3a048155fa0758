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
        id = try row.decode(UUID.self, at: 0)
        kind = try row.decode(String.self, at: 1)
        queue = try row.decode(String.self, at: 2)
        state = try row.decode(String.self, at: 3)
        productId = try row.decode(UUID?.self, at: 4)
        iteration = try row.decode(Int?.self, at: 5)
        selectionVersion = try row.decode(Int?.self, at: 6)
        attempts = try row.decode(Int.self, at: 7)
        maxAttempts = try row.decode(Int.self, at: 8)
        rateLimitedWaits = try row.decode(Int.self, at: 9)
        lastError = try row.decode(String?.self, at: 10)
        errorClass = try row.decode(String?.self, at: 11)
        failureStage = try row.decode(String?.self, at: 12)
        createdAt = try row.decode(Date.self, at: 13)
        updatedAt = try row.decode(Date.self, at: 14)
        finishedAt = try row.decode(Date?.self, at: 15)
    }

    static func find(_ id: UUID, on connection: PostgresConnection) throws -> JobView? {
        try connection.query("SELECT \(columns) FROM jobs WHERE id = \(id)").first.map(JobView.init)
    }
}
