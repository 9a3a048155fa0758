public import AMQP
import Foundation
public import Logging
public import Postgres
public import ServiceLifecycle
import Vocabulary

/// Publishes committed outbox rows with publisher confirms and marks them published.
///
/// Many relays may run at once (one in every process that writes outbox rows): each locks
/// a batch with `FOR UPDATE SKIP LOCKED` in a transaction that stays open while the broker
/// confirms it and commits with the batch marked published, so no two relays publish the
/// same row at the same time and each row is written once. A relay that dies, or loses its
/// connection, releases its locks with its transaction, and another relay publishes the
/// rows: delivery is at-least-once and consumers are idempotent by job id.
public final class OutboxRelay: Service, Sendable {
    public struct Configuration: Sendable {
        public var batchSize: Int = 100
        /// Poll interval when no NOTIFY arrives (a safety net, not the main wake-up).
        public var idlePoll: Duration = .seconds(1)
        public var confirmTimeout: Duration = .seconds(30)
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

    /// The backlog gauge counts due rows up to this many (one index scan per batch, bounded).
    static let backlogCountLimit = 10_000

    public func run() async throws {
        let schema = try await withDatabaseRetry(database, logger: logger) { connection in
            try connection.query("SELECT current_schema() AS schema")[0].decode(String.self, column: "schema")
        }
        guard let schema else { return }
        // Outbox triggers NOTIFY with their schema as payload: relays of other schemas in the
        // same database ignore each other.
        let wakeups = WakeSignal()
        let listener = NotificationListener(
            conninfo: configuration.listenConninfo, channels: ["itp_outbox"], logger: logger,
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
                logger.warning("outbox relay batch failed", metadata: [LogKey.error: .error(error)])
                try? await cancelWhenGracefulShutdown { [failureDelay] in try await Task.sleep(for: failureDelay) }
                failureDelay = min(failureDelay * 2, .seconds(5))
                continue
            }
            // Graceful shutdown wakes the wait (and every later one) instead of letting the
            // services behind this one wait out the poll interval.
            await withGracefulShutdownHandler {
                await wakeups.wait(timeout: configuration.idlePoll)
            } onGracefulShutdown: {
                wakeups.close()
            }
        }
    }

    /// Locks, publishes and marks one batch, in one transaction. Returns how many rows were
    /// published.
    @discardableResult
    public func relayBatch() async throws -> Int {
        let batchSize = configuration.batchSize
        return try await database.withReservedConnection { reserved in
            let rows = try await reserved.run { connection in
                try connection.execute("BEGIN")
                return try connection.query("""
                    SELECT id, message_id, exchange, routing_key, body, content_type, headers::text, job_id, expiration_ms,
                           (extract(epoch FROM created_at))::bigint AS created_epoch,
                           (SELECT count(*) FROM (
                               SELECT 1 FROM outbox WHERE published_at IS NULL AND available_at <= now() LIMIT \(Self.backlogCountLimit)
                           ) due) AS due
                    FROM outbox
                    WHERE published_at IS NULL AND available_at <= now()
                    ORDER BY id LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                    """).map(OutboxRow.init)
            }
            guard let first = rows.first else {
                try await reserved.run { try $0.execute("ROLLBACK") }
                RuntimeMetrics.outboxBacklog(0)
                return 0
            }

            let results: [Result<Void, AMQPError>]
            do {
                results = try await broker.publish(rows.map(\.message), timeout: configuration.confirmTimeout)
            } catch {
                _ = try? await reserved.run { try $0.execute("ROLLBACK") }
                await recordFailure(rows.map(\.id), error: "\(error)")
                throw error
            }
            var published: [Int64] = []
            var refused: [Int64] = []
            var refusal = ""
            for (row, result) in zip(rows, results) {
                switch result {
                case .success:
                    published.append(row.id)
                case .failure(let error):
                    logger.error("outbox message not accepted by the broker", metadata: [
                        LogKey.amqpExchange: "\(row.message.exchange)", LogKey.amqpRoutingKey: "\(row.message.routingKey)", LogKey.error: .error(error),
                    ])
                    refused.append(row.id)
                    refusal = String("\(error)".prefix(500))
                }
            }
            let (publishedIDs, refusedIDs, refusalText) = (published, refused, refusal)
            try await reserved.run { connection in
                try connection.execute("""
                    UPDATE outbox SET published_at = now(), publish_attempts = publish_attempts + 1, last_error = NULL
                    WHERE id = ANY(\(publishedIDs))
                    """)
                if !refusedIDs.isEmpty {
                    // Returned by the broker (unroutable): try again later, not in a tight loop.
                    try connection.execute("""
                        UPDATE outbox SET publish_attempts = publish_attempts + 1, last_error = \(refusalText),
                               available_at = now() + interval '5 seconds'
                        WHERE id = ANY(\(refusedIDs))
                        """)
                }
                try connection.execute("COMMIT")
            }
            RuntimeMetrics.outboxPublished(published.count)
            RuntimeMetrics.outboxBacklog(max(0, first.due - published.count))
            return published.count
        }
    }

    /// Notes why a batch could not be published (its locks are already released).
    private func recordFailure(_ ids: [Int64], error: String) async {
        let text = String(error.prefix(500))
        do {
            try await database.withConnection { connection in
                try connection.execute("""
                    UPDATE outbox SET publish_attempts = publish_attempts + 1, last_error = \(text)
                    WHERE id = ANY(\(ids)) AND published_at IS NULL
                    """)
            }
        } catch {
            logger.debug("could not record the publish failure on the outbox rows", metadata: [LogKey.error: .error(error)])
        }
    }
}

/// One locked outbox row, as an AMQP message.
struct OutboxRow: Sendable {
    var id: Int64
    var message: AMQPMessage
    /// Rows due and not yet published when the batch was read, this one included (counted up
    /// to ``OutboxRelay/backlogCountLimit``): the backlog gauge.
    var due: Int

    init(_ row: PostgresRow) throws {
        id = try row.decode(Int64.self, column: "id")
        due = try row.decode(Int.self, column: "due")
        let headersText = try row.decode(String.self, column: "headers")
        let headers = (try? JSONDecoder().decode([String: String].self, from: Data(headersText.utf8))) ?? [:]
        var table = AMQPTable()
        for (key, value) in headers.sorted(by: { $0.key < $1.key }) { table[key] = .string(value) }
        let expiration = try row.decode(Int64?.self, column: "expiration_ms")
        message = AMQPMessage(
            exchange: try row.decode(String.self, column: "exchange"),
            routingKey: try row.decode(String.self, column: "routing_key"),
            body: try row.decode([UInt8].self, column: "body"),
            properties: AMQPProperties(
                contentType: try row.decode(String.self, column: "content_type"),
                messageID: try row.decode(UUID.self, column: "message_id").uuidString.lowercased(),
                correlationID: try row.decode(UUID?.self, column: "job_id")?.uuidString.lowercased(),
                headers: table,
                expiration: expiration.map(String.init),
                timestamp: UInt64(max(0, try row.decode(Int64.self, column: "created_epoch")))),
            mandatory: true)
    }
}
