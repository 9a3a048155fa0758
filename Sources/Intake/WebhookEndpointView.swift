import Foundation
import Postgres

/// A webhook endpoint as the API shows it; `secret` only in the answers to creation and
/// rotation (it is shown once).
struct WebhookEndpointView: Encodable, Sendable {
    var id: UUID
    var url: String
    var eventTypes: [String]
    var createdAt: Date
    var rotatedAt: Date?
    var secret: String?

    private enum CodingKeys: String, CodingKey {
        case id, url, eventTypes = "event_types", createdAt = "created_at", rotatedAt = "rotated_at", secret
    }

    init(row: PostgresRow, secret: String? = nil) throws {
        id = try row.decode(UUID.self, column: "id")
        url = try row.decode(String.self, column: "url")
        eventTypes = try row.decode([String].self, column: "event_types")
        createdAt = try row.decode(Date.self, column: "created_at")
        rotatedAt = try row.decode(Date?.self, column: "rotated_at")
        self.secret = secret
    }
}
