import AMQP
import ArgumentParser
import Foundation
import Logging
import Postgres
import Vocabulary

/// One baseline consumer process (spawned by the benchmark, one per "worker"): consume,
/// insert the message id into `inbox` in one transaction, ack. Shaped like the runtime's
/// consume loop — a task per delivery, at most `prefetch` in flight, a pool of Postgres
/// connections each on its own queue — minus the job protocol. Runs until killed.
struct BaselineConsumerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline-consumer",
        abstract: "Internal: one baseline consumer process of the benchmark.",
        shouldDisplay: false)

    @Option(name: .customLong("database-url")) var databaseURL: String
    @Option(name: .customLong("amqp-url")) var amqpURL: String
    @Option var queue: String
    @Option var prefetch: Int = 16
    @Option(name: .customLong("database-connections")) var databaseConnections: Int = 16

    func run() async throws {
        let logger = Logger(label: "itp-bench-runtime.baseline")
        let database = PostgresClient(conninfo: databaseURL, maxConnections: databaseConnections, logger: logger)
        var configuration = try AMQPConfiguration(url: amqpURL)
        configuration.connectionName = "itp-bench-baseline"
        let broker = try await AMQPConnection.connect(configuration: configuration, logger: logger)
        let consumer = try await broker.consume(queue: queue, prefetch: UInt16(clamping: prefetch))
        await withDiscardingTaskGroup { group in
            for await delivery in consumer.deliveries {
                group.addTask {
                    await Self.handle(delivery, database: database, broker: broker, logger: logger)
                }
            }
        }
    }

    private static func handle(_ delivery: AMQPDelivery, database: PostgresClient, broker: AMQPConnection, logger: Logger) async {
        guard let id = delivery.properties.messageID.flatMap(UUID.init(uuidString:)) else {
            try? await broker.reject(delivery, requeue: false)
            return
        }
        do {
            try await database.withTransaction { connection in
                try connection.execute("INSERT INTO inbox (message_id) VALUES (\(id)) ON CONFLICT DO NOTHING")
            }
            try await broker.ack(delivery)
        } catch {
            logger.error("baseline message failed; returning it", metadata: [LogKey.error: .error(error)])
            try? await broker.nack(delivery, requeue: true)
        }
    }
}
