public import AMQP
import Foundation
public import Logging
public import Postgres
public import ServiceLifecycle
import Vocabulary

/// Records every message that reaches a `<queue>.dead` queue in `dead_letters` (body,
/// headers, reason, queue, time) and marks its job dead, then acks (DESIGN.md §3: dead
/// letters are data). Recording is idempotent by the message's identity, so a redelivered
/// dead letter is recorded once.
///
/// Reasons come from our own headers (`x-itp-reason`, set when a worker dead-letters a job)
/// or from the broker's `x-death` (`delivery_limit` for poison messages, `rejected`, …).
public final class DeadLetterRecorder: Service, Sendable {
    /// Called inside the recording transaction, e.g. for the finalizer to fail the product.
    public typealias Hook = @Sendable (DeadLetterRecord, PostgresConnection) throws -> Void

    private let queues: [Topology.WorkQueue]
    private let database: PostgresClient
    private let broker: AMQPConnection
    private let logger: Logger
    private let hook: Hook?

    public init(queues: [Topology.WorkQueue], database: PostgresClient, broker: AMQPConnection, logger: Logger, hook: Hook? = nil) {
        self.queues = queues
        self.database = database
        self.broker = broker
        self.logger = logger
        self.hook = hook
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for queue in queues {
                group.addTask { await self.consume(queue) }
            }
        }
    }

    private func consume(_ queue: Topology.WorkQueue) async {
        var delay = Duration.milliseconds(200)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let consumer = try await broker.consume(queue: queue.deadLetterQueue, prefetch: 16)
                await withGracefulShutdownHandler {
                    for await delivery in consumer.deliveries {
                        await record(delivery, from: queue)
                    }
                } onGracefulShutdown: {
                    Task { try? await consumer.cancel() }
                }
                return
            } catch {
                logger.warning("cannot consume dead letters; retrying", metadata: [LogKey.amqpQueue: "\(queue.deadLetterQueue)", LogKey.error: .error(error)])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    func record(_ delivery: AMQPDelivery, from queue: Topology.WorkQueue) async {
        let record = DeadLetterRecord(delivery, deadLetterQueue: queue.deadLetterQueue, workQueue: queue.name)
        let hook = self.hook
        do {
            let inserted: Bool? = try await withDatabaseRetry(database, logger: logger) { connection in
                try connection.transaction { connection in
                    let inserted = try record.insert(on: connection)
                    if inserted { try hook?(record, connection) }
                    return inserted
                }
            }
            guard let inserted else { return }
            let metadata: Logger.Metadata = [
                LogKey.amqpQueue: "\(queue.deadLetterQueue)", LogKey.deadReason: "\(record.reason)",
                LogKey.jobID: "\(record.jobID?.uuidString ?? "-")", LogKey.amqpMessageID: "\(record.messageID ?? "-")",
            ]
            if inserted {
                logger.notice("dead letter recorded", metadata: metadata)
            } else {
                logger.notice("dead letter already recorded; acking this copy", metadata: metadata)
            }
            try? await broker.ack(delivery)
        } catch {
            logger.error("recording a dead letter failed; returning it", metadata: [LogKey.error: .error(error)])
            try? await broker.nack(delivery, requeue: true)
        }
    }
}
