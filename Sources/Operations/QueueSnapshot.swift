public import AMQP
import Foundation
public import JobRuntime
public import Postgres
import ProductFlow

/// One work queue as the broker and Postgres see it right now. RabbitMQ's management
/// plugin is not assumed, so "unacked" is not read from the broker: jobs in flight are the
/// `running` rows in Postgres (a claimed job is a delivery not yet acked).
public struct QueueSnapshot: Encodable, Sendable {
    public var queue: String
    /// False when the broker does not know the queue (run `itp-admin broker setup`).
    public var declared: Bool
    public var ready: Int
    public var consumers: Int
    /// Jobs claimed and not finished (Postgres `running`).
    public var inFlight: Int
    public var queuedJobs: Int
    public var retryingJobs: Int
    /// Seconds the oldest job waiting to run has waited (queued, or a retry that is due).
    public var oldestWaitingSeconds: Double?
    /// Messages in `<queue>.dead` not yet recorded by the finalizer.
    public var deadLetterQueueReady: Int
    /// Dead letters recorded in Postgres for this queue.
    public var deadLettersRecorded: Int
    /// Recorded dead letters whose job is still dead (not replayed, or replayed and dead again).
    public var deadLettersUnresolved: Int

    /// The queues the commands look at: those named with `--queue`, else every work queue.
    public static func queues(named names: [String]) -> [Topology.WorkQueue] {
        let known = ProductQueues.all
        guard !names.isEmpty else { return known }
        return names.map { name in
            known.first { $0.name == name }
                ?? Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
        }
    }

    /// `deadLetters: false` leaves the recorded dead-letter counts at 0 (the console's overview
    /// shows them grouped, from a table kept by a trigger, and a count per queue reads them all).
    public static func take(
        _ queues: [Topology.WorkQueue], broker: AMQPConnection, database: PostgresClient, deadLetters: Bool = true
    ) async throws -> [QueueSnapshot] {
        var snapshots: [QueueSnapshot] = []
        for queue in queues {
            let name = queue.name
            var snapshot = try await database.withConnection { try jobCounts(name, deadLetters: deadLetters, on: $0) }
            do {
                let work = try await broker.declareQueue(name: queue.name, passive: true)
                snapshot.ready = Int(work.messageCount)
                snapshot.consumers = Int(work.consumerCount)
                if let dead = try? await broker.declareQueue(name: queue.deadLetterQueue, passive: true) {
                    snapshot.deadLetterQueueReady = Int(dead.messageCount)
                }
            } catch let error as AMQPError where error.replyCode == 404 || error.code == .channelClosed {
                snapshot.declared = false
            }
            snapshots.append(snapshot)
        }
        return snapshots
    }

    private static func jobCounts(_ queue: String, deadLetters: Bool, on connection: PostgresConnection) throws -> QueueSnapshot {
        let row = try connection.query("""
            SELECT count(*) FILTER (WHERE state = 'running'),
                   count(*) FILTER (WHERE state = 'queued'),
                   count(*) FILTER (WHERE state = 'retrying'),
                   extract(epoch FROM now() - min(CASE WHEN state = 'queued' THEN updated_at
                                                      WHEN state = 'retrying' AND next_attempt_at <= now() THEN next_attempt_at END))::float8,
                   (SELECT count(*) FROM dead_letters WHERE \(deadLetters) AND COALESCE(original_queue, queue) = \(queue)),
                   (SELECT count(*) FROM dead_letters d JOIN jobs j ON j.id = d.job_id
                     WHERE \(deadLetters) AND COALESCE(d.original_queue, d.queue) = \(queue) AND j.state = 'dead')
            FROM jobs WHERE queue = \(queue) AND state IN ('running', 'queued', 'retrying')
            """)[0]
        let (inFlight, queued, retrying, oldestWaiting, recorded, unresolved) = try row.decode((Int, Int, Int, Double?, Int, Int).self)
        return QueueSnapshot(
            queue: queue, declared: true, ready: 0, consumers: 0,
            inFlight: inFlight, queuedJobs: queued, retryingJobs: retrying, oldestWaitingSeconds: oldestWaiting,
            deadLetterQueueReady: 0, deadLettersRecorded: recorded, deadLettersUnresolved: unresolved)
    }
}
