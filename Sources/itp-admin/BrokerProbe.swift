import AMQP
import JobRuntime
import Logging
import Settings

/// Whether the broker answers and, per work queue, the messages ready, the consumers and
/// the dead-letter queue's depth (passive declares: exact, but they read 0 for a second or
/// two after a broker restart — FIELD-NOTES.md).
struct BrokerProbe: Encodable, Sendable {
    struct Queue: Encodable, Sendable {
        var name: String
        var declared: Bool
        var ready: Int
        var consumers: Int
        var deadLettered: Int
    }

    var url: String
    var connected: Bool
    var error: String?
    var queues: [Queue]

    static func probe(_ settings: DaemonSettings) async -> BrokerProbe {
        let url = DaemonBoot.redacted(settings.amqpURL)
        guard var configuration = try? AMQPConfiguration(url: settings.amqpURL) else {
            return BrokerProbe(url: url, connected: false, error: "not a valid URL", queues: [])
        }
        configuration.connectionName = "itp-admin"
        configuration.connectTimeout = .seconds(5)
        let broker: AMQPConnection
        do {
            broker = try await AMQPConnection.connect(configuration: configuration, logger: AdminLog.broker)
        } catch {
            return BrokerProbe(url: url, connected: false, error: "\(error)", queues: [])
        }
        var queues: [Queue] = []
        for queue in Topology().workQueues {
            do {
                let work = try await broker.declareQueue(name: queue.name, passive: true)
                let dead = try await broker.declareQueue(name: queue.deadLetterQueue, passive: true)
                queues.append(Queue(name: queue.name, declared: true, ready: Int(work.messageCount), consumers: Int(work.consumerCount),
                                    deadLettered: Int(dead.messageCount)))
            } catch {
                queues.append(Queue(name: queue.name, declared: false, ready: 0, consumers: 0, deadLettered: 0))
            }
        }
        await broker.close()
        return BrokerProbe(url: url, connected: true, error: nil, queues: queues)
    }

    var lines: [String] {
        guard connected else { return ["broker: \(url) unreachable (\(error ?? "?"))"] }
        return ["broker: connected to \(url)"] + queues.map { queue in
            queue.declared
                ? "  \(queue.name): \(queue.ready) ready, \(queue.consumers) consumers, \(queue.deadLettered) dead-lettered waiting"
                : "  \(queue.name): not declared (run: itp-admin broker setup)"
        }
    }
}
