public import Foundation
import Postgres
public import ProductFlow

/// One delivery as an attempt needs it: the endpoint's URL and current secret, the event.
public struct WebhookDelivery: Sendable {
    public var id: UUID
    public var eventID: UUID
    public var eventType: String
    public var eventCreatedAt: Date
    public var data: WebhookEventData
    public var url: String
    public var secret: String
    /// A deleted endpoint gets nothing more.
    public var endpointDeleted: Bool

    static func load(_ id: UUID, on connection: PostgresConnection) throws -> WebhookDelivery? {
        guard let row = try connection.query("""
            SELECT d.event_id, ev.type, ev.created_at, ev.data::text AS data, e.url, e.secret, e.deleted_at IS NOT NULL AS deleted
            FROM webhook_deliveries d
            JOIN webhook_events ev ON ev.id = d.event_id
            JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE d.id = \(id)
            """).first else { return nil }
        return WebhookDelivery(
            id: id, eventID: try row.decode(UUID.self, column: "event_id"), eventType: try row.decode(String.self, column: "type"),
            eventCreatedAt: try row.decode(Date.self, column: "created_at"),
            data: try JSONDecoder().decode(WebhookEventData.self, from: Data(try row.decode(String.self, column: "data").utf8)),
            url: try row.decode(String.self, column: "url"), secret: try row.decode(String.self, column: "secret"),
            endpointDeleted: try row.decode(Bool.self, column: "deleted"))
    }

    /// Records one attempt's outcome (its own statement, outside the job's transaction, so
    /// failed attempts are kept too).
    static func recordAttempt(
        _ id: UUID, attempt: Int, statusCode: Int?, error: String?, latencyMilliseconds: Int, startedAt: Date,
        on connection: PostgresConnection
    ) throws {
        try connection.execute("""
            INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, latency_ms, started_at)
            VALUES (\(id), \(attempt), \(statusCode), \(error), \(latencyMilliseconds), \(startedAt))
            """)
    }
}
