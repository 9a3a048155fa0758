public import Foundation
public import Postgres

/// One generation of a product's designs: the first (from the prompt) or a regeneration
/// with the shopper's feedback, as the design job that made it asked for it. Shown by the
/// API (`iterations`) and by `itp-admin products show`.
public struct DesignIteration: Encodable, Sendable, Equatable {
    public var iteration: Int
    /// Nil for the first iteration.
    public var feedback: String?
    public var requestedAt: Date

    private enum CodingKeys: String, CodingKey {
        case iteration, feedback, requestedAt = "requested_at"
    }

    /// The product's iterations in order, from its design jobs (the first job of each).
    public static func all(of product: UUID, on connection: PostgresConnection) throws -> [DesignIteration] {
        try connection.query("""
            SELECT DISTINCT ON (iteration) iteration, payload->>'feedback' AS feedback, created_at
            FROM jobs WHERE product_id = \(product) AND kind = 'design.generate' AND iteration IS NOT NULL
            ORDER BY iteration, created_at
            """).map { row in
            DesignIteration(
                iteration: try row.decode(Int.self, column: "iteration"), feedback: try row.decode(String?.self, column: "feedback"),
                requestedAt: try row.decode(Date.self, column: "created_at"))
        }
    }
}
