public import Foundation
public import Postgres

/// A `jobs` row as the admin commands show it.
public struct JobView: Encodable, Sendable {
    public var id: UUID
    public var kind: String
    public var queue: String
    public var state: String
    public var productId: UUID?
    public var iteration: Int?
    public var selectionVersion: Int?
    public var attempts: Int
    public var maxAttempts: Int
    public var rateLimitedWaits: Int
    public var lastError: String?
    public var errorClass: String?
    public var failureStage: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?

    public static let columns: SQL = """
        id, kind, queue, state::text, product_id, iteration, selection_version, attempts, max_attempts, rate_limited_waits,
        last_error, error_class::text, failure_stage, created_at, updated_at, finished_at
        """

    public init(_ row: PostgresRow) throws {
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

    public static func find(_ id: UUID, on connection: PostgresConnection) throws -> JobView? {
        try connection.query("SELECT \(columns) FROM jobs WHERE id = \(id)").first.map(JobView.init)
    }
}
