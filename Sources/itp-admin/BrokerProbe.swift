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
        let broker: AMQPConnection
        do throws(AdminBroker.Failure) {
            broker = try await AdminBroker.open(settings)
        } catch {
            let reason = switch error {
            case .invalidURL: "not a valid URL"
            case .unreachable(let error): "\(error)"
            }
            return BrokerProbe(url: url, connected: false, error: reason, queues: [])
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
