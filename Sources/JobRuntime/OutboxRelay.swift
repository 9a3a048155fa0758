public import AMQP
import Foundation
public import Logging
public import Postgres
public import ServiceLifecycle

/// Publishes committed outbox rows with publisher confirms and marks them published.
///
/// Many relays may run at once (one in every process that writes outbox rows): each
/// leases a batch with `FOR UPDATE SKIP LOCKED`, so no two relays publish the same row
/// at the same time; a relay that dies lets its lease lapse and another publishes the
/// rows. A crash between confirm and mark republishes a row: delivery is at-least-once
/// and consumers are idempotent by job id.
public final class OutboxRelay: Service, Sendable {
    public struct Configuration: Sendable {
        public var batchSize: Int = 100
        /// How long a leased batch is reserved for this relay.
        public var lease: Duration = .seconds(30)
        /// Poll interval when no NOTIFY arrives (a safety net, not the main wake-up).
        public var idlePoll: Duration = .seconds(1)
        public var confirmTimeout: Duration = .seconds(30)
        /// Unique per relay instance.
        public var relayID: String = "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8))"
        /// The connection string for the LISTEN connection (same database and schema).
        public var listenConninfo: String

        public init(listenConninfo: String) {
            self.listenConninfo = listenConninfo
        }
    }

    private let configuration: Configuration
    private let database: PostgresClient
    private let broker: AMQPConnection
    private let logger: Logger

    public init(configuration: Configuration, database: PostgresClient, broker: AMQPConnection, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.broker = broker
        self.logger = logger
    }

    public func run() async throws {
        let schema = try await withDatabaseRetry(database, logger: logger) { connection in
            try connection.query("SELECT current_schema()")[0].decode(String.self, at: 0)
        }
        guard let schema else { return }
        // Outbox triggers NOTIFY with their schema as payload: relays of other schemas in the
        // same database ignore each other.
        let wakeups = WakeSignal()
        let listener = NotificationListener(
            conninfo: configuration.listenConninfo, channel: "itp_outbox", logger: logger,
            onConnection: { connected in if connected { wakeups.signal() } },
            onNotifications: { notifications in
                if notifications.contains(where: { $0.payload == schema }) { wakeups.signal() }
            })
        listener.start()
        defer { listener.stop() }

        var failureDelay = Duration.milliseconds(100)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let published = try await relayBatch()
                failureDelay = .milliseconds(100)
                if published == configuration.batchSize { continue }
            } catch {
                logger.warning("outbox relay batch failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: failureDelay)
                failureDelay = min(failureDelay * 2, .seconds(5))
                continue
            }
            await wakeups.wait(timeout: configuration.idlePoll)
        }
    }

    /// Leases, publishes and marks one batch. Returns how many rows were published.
    @discardableResult
    public func relayBatch() async throws -> Int {
        let relayID = configuration.relayID
        let batchSize = configuration.batchSize
        let leaseMilliseconds = Int64(configuration.lease / .milliseconds(1))
        let rows = try await database.withConnection { connection in
            // A relay may take back its own lease: after a database outage it knows it is no
            // longer publishing those rows, and need not wait for the lease to lapse.
            try connection.query("""
                UPDATE outbox SET claimed_by = \(relayID),
                       claimed_until = now() + make_interval(secs => \(leaseMilliseconds)::float8 / 1000),
                       publish_attempts = publish_attempts + 1
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE published_at IS NULL AND available_at <= now()
                      AND (claimed_until IS NULL OR claimed_until < now() OR claimed_by = \(relayID))
                    ORDER BY id LIMIT \(batchSize) FOR UPDATE SKIP LOCKED)
                RETURNING id, message_id, exchange, routing_key, body, content_type, headers::text, job_id, expiration_ms,
                          (extract(epoch FROM created_at))::bigint
                """).map(OutboxRow.init)
        }.sorted { $0.id < $1.id }
        guard !rows.isEmpty else { return 0 }

        let results: [Result<Void, AMQPError>]
        do {
            results = try await broker.publish(rows.map(\.message), timeout: configuration.confirmTimeout)
        } catch {
            try await release(rows.map(\.id), error: "\(error)")
            throw error
        }
        var published: [Int64] = []
        for (row, result) in zip(rows, results) {
            switch result {
            case .success:
                published.append(row.id)
            case .failure(let error):
                logger.error("outbox message not accepted by the broker", metadata: [
                    "amqp.exchange": "\(row.message.exchange)", "amqp.routing_key": "\(row.message.routingKey)", "error": "\(error)",
                ])
                try await release([row.id], error: "\(error)", retryAfter: .seconds(5))
            }
        }
        if !published.isEmpty {
            let ids = published
            _ = try await withDatabaseRetry(database, logger: logger, attempts: 20) { connection in
                try connection.execute("""
                    UPDATE outbox SET published_at = now(), claimed_until = NULL, last_error = NULL
                    WHERE id = ANY(\(ids)) AND published_at IS NULL
                    """)
            }
        }
        RuntimeMetrics.outboxPublished(published.count)
        return published.count
    }

    private func release(_ ids: [Int64], error: String, retryAfter: Duration = .zero) async throws {
        let relayID = configuration.relayID
        let delayMilliseconds = Int64(retryAfter / .milliseconds(1))
        try await database.withConnection { connection in
            try connection.execute("""
                UPDATE outbox SET claimed_until = NULL, last_error = \(String(error.prefix(500))),
                       available_at = now() + make_interval(secs => \(delayMilliseconds)::float8 / 1000)
                WHERE id = ANY(\(ids)) AND claimed_by = \(relayID) AND published_at IS NULL
                """)
        }
    }
}

/// One leased outbox row, as an AMQP message.
struct OutboxRow: Sendable {
    var id: Int64
    var message: AMQPMessage

    init(_ row: PostgresRow) throws {
        id = try row.decode(Int64.self, at: 0)
        let headersText = try row.decode(String.self, at: 6)
        let headers = (try? JSONDecoder().decode([String: String].self, from: Data(headersText.utf8))) ?? [:]
        var table = AMQPTable()
        for (key, value) in headers.sorted(by: { $0.key < $1.key }) { table[key] = .string(value) }
        let expiration = try row.decode(Int64?.self, at: 8)
        message = AMQPMessage(
            exchange: try row.decode(String.self, at: 2),
            routingKey: try row.decode(String.self, at: 3),
            body: try row.decode([UInt8].self, at: 4),
            properties: AMQPProperties(
                contentType: try row.decode(String.self, at: 5),
                messageID: try row.decode(UUID.self, at: 1).uuidString.lowercased(),
                correlationID: try row.decode(UUID?.self, at: 7)?.uuidString.lowercased(),
                headers: table,
                expiration: expiration.map(String.init),
                timestamp: UInt64(max(0, try row.decode(Int64.self, at: 9)))),
            mandatory: true)
    }
}
