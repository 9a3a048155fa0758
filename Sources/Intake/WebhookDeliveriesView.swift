import Foundation
import Postgres

/// `GET /v1/webhook-endpoints/{id}/deliveries`: the endpoint's deliveries, newest first, each
/// with its state (from its job) and every attempt's status code (or error), latency and time.
struct WebhookDeliveriesView: Encodable, Sendable {
    struct Attempt: Encodable, Sendable {
        var attempt: Int
        var statusCode: Int?
        var error: String?
        var latencyMilliseconds: Int
        var startedAt: Date

        private enum CodingKeys: String, CodingKey {
            case attempt, statusCode = "status_code", error, latencyMilliseconds = "latency_ms", startedAt = "started_at"
        }
    }

    struct Delivery: Encodable, Sendable {
        var id: UUID
        var eventID: UUID
        var eventType: String
        /// `pending` (queued, sending or waiting to retry), `delivered`, `failed` (dead-lettered:
        /// redeliver it, or an operator replays it), `cancelled` (the endpoint was deleted).
        var state: String
        var createdAt: Date
        var deliveredAt: Date?
        var redeliveryOf: UUID?
        var attempts: [Attempt]

        private enum CodingKeys: String, CodingKey {
            case id, eventID = "event_id", eventType = "event_type", state, createdAt = "created_at", deliveredAt = "delivered_at",
                 redeliveryOf = "redelivery_of", attempts
        }
    }

    var endpointID: UUID
    var deliveries: [Delivery]

    private enum CodingKeys: String, CodingKey {
        case endpointID = "endpoint_id", deliveries
    }

    /// Nil when the endpoint is not the owner's (deleted endpoints keep their history).
    static func load(endpoint: UUID, owner: UUID, limit: Int, on connection: PostgresConnection) throws -> WebhookDeliveriesView? {
        guard try connection.query("SELECT 1 AS one FROM webhook_endpoints WHERE id = \(endpoint) AND owner_id = \(owner)").first != nil else {
            return nil
        }
        let rows = try connection.query("""
            SELECT d.id, d.event_id, ev.type, j.state::text AS job_state, d.created_at, d.delivered_at, d.redelivery_of
            FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id JOIN jobs j ON j.id = d.job_id
            WHERE d.endpoint_id = \(endpoint) ORDER BY d.created_at DESC, d.id LIMIT \(limit)
            """)
        let ids = try rows.map { try $0.decode(UUID.self, column: "id") }
        var attempts: [UUID: [Attempt]] = [:]
        for row in try connection.query("""
            SELECT delivery_id, attempt, status_code, error, latency_ms, started_at FROM webhook_attempts
            WHERE delivery_id = ANY (\(ids)) ORDER BY id
            """) {
            attempts[try row.decode(UUID.self, column: "delivery_id"), default: []].append(Attempt(
                attempt: try row.decode(Int.self, column: "attempt"), statusCode: try row.decode(Int?.self, column: "status_code"),
                error: try row.decode(String?.self, column: "error"), latencyMilliseconds: try row.decode(Int.self, column: "latency_ms"),
                startedAt: try row.decode(Date.self, column: "started_at")))
        }
        let deliveries = try rows.map { row in
            let id = try row.decode(UUID.self, column: "id")
            let deliveredAt = try row.decode(Date?.self, column: "delivered_at")
            let state: String = switch try row.decode(String.self, column: "job_state") {
            case _ where deliveredAt != nil: "delivered"
            case "dead": "failed"
            case "cancelled", "superseded": "cancelled"
            default: "pending"
            }
            return Delivery(
                id: id, eventID: try row.decode(UUID.self, column: "event_id"), eventType: try row.decode(String.self, column: "type"),
                state: state, createdAt: try row.decode(Date.self, column: "created_at"), deliveredAt: deliveredAt,
                redeliveryOf: try row.decode(UUID?.self, column: "redelivery_of"), attempts: attempts[id] ?? [])
        }
        return WebhookDeliveriesView(endpointID: endpoint, deliveries: deliveries)
    }
}
