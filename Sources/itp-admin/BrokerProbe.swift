import AMQP
import JobRuntime
import Logging
import ProductFlow
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
        /// The queues of this work queue's topology (itself, `<queue>.dead`, its delay
        /// queues) that the broker does not have.
        var missing: [String]
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
            case .invalidSetting(let error): "\(error)"
            case .unreachable(let error): String(reflecting: error)
            }
            return BrokerProbe(url: url, connected: false, error: reason, queues: [])
        }
        var queues: [Queue] = []
        for queue in ProductQueues.all {
            var missing: [String] = []
            var found: [String: QueueDeclareResult] = [:]
            for name in [queue.name, queue.deadLetterQueue] + Topology.delayTiers.map(queue.delayQueue) {
                do {
                    found[name] = try await broker.declareQueue(name: name, passive: true)
                } catch {
                    missing.append(name)
                }
            }
            let work = found[queue.name], dead = found[queue.deadLetterQueue]
            queues.append(Queue(name: queue.name, declared: missing.isEmpty, ready: Int(work?.messageCount ?? 0),
                                consumers: Int(work?.consumerCount ?? 0), deadLettered: Int(dead?.messageCount ?? 0), missing: missing))
        }
        await broker.close()
        return BrokerProbe(url: url, connected: true, error: nil, queues: queues)
    }

    var lines: [String] {
        guard connected else { return ["broker: \(url) unreachable (\(error ?? "?"))"] }
        return ["broker: connected to \(url)"] + queues.map { queue in
            queue.declared
                ? "  \(queue.name): \(queue.ready) ready, \(queue.consumers) consumers, \(queue.deadLettered) dead-lettered waiting"
                : "  \(queue.name): missing queue(s) \(queue.missing.joined(separator: ", ")) (run: itp-admin broker setup)"
        }
    }
}
