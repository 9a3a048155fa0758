public import Foundation
public import Postgres

/// A message to publish, written to the `outbox` table inside the caller's transaction.
/// The relay publishes it with confirms after the transaction commits — never before, and
/// never not at all (DESIGN.md §3, transactional outbox).
public struct OutboxMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var contentType: String
    /// String headers (AMQP table entries).
    public var headers: [String: String]
    /// The job the message carries, if any (also becomes the AMQP correlation id).
    public var jobID: UUID?
    /// Per-message TTL, for retries parked in a delay queue.
    public var expiration: Duration?

    public init(
        exchange: String, routingKey: String, body: [UInt8], contentType: String = "application/json",
        headers: [String: String] = [:], jobID: UUID? = nil, expiration: Duration? = nil
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.contentType = contentType
        self.headers = headers
        self.jobID = jobID
        self.expiration = expiration
    }

    /// Writes the message to the outbox on `connection` (which should be inside the
    /// transaction whose effects the message announces). Returns the message id.
    @discardableResult
    public func insert(on connection: PostgresConnection) throws -> UUID {
        let headersJSON = PostgresJSON(text: String(decoding: try JSONEncoder.sorted.encode(headers), as: UTF8.self))
        let expirationMilliseconds = expiration.map { Int64($0 / .milliseconds(1)) }
        let rows = try connection.query("""
            INSERT INTO outbox (exchange, routing_key, body, content_type, headers, job_id, expiration_ms)
            VALUES (\(exchange), \(routingKey), \(body), \(contentType), \(headersJSON)::jsonb, \(jobID), \(expirationMilliseconds))
            RETURNING message_id
            """)
        return try rows[0].decode(UUID.self, column: "message_id")
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
