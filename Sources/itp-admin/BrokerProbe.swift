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

    /// One node of an address list, connected to alone.
    struct Node: Encodable, Sendable {
        var endpoint: String
        var reachable: Bool
        var error: String?
    }

    var url: String
    var connected: Bool
    var error: String?
    /// With more than one address in `ITP_AMQP_URL`: each node on its own, so an operator
    /// sees which one is down (the fleet keeps working on the others).
    var nodes: [Node] = []
    var queues: [Queue]

    static func probe(_ settings: DaemonSettings) async -> BrokerProbe {
        let url = DaemonBoot.redacted(settings.amqpURL)
        let broker: AMQPConnection
        var nodes: [Node] = []
        do throws(AdminBroker.Failure) {
            let configuration = try AdminBroker.configuration(settings)
            if configuration.endpoints.count > 1 { nodes = await probeNodes(configuration) }
            broker = try await AdminBroker.open(settings)
        } catch {
            let reason = switch error {
            case .invalidSetting(let error): "\(error)"
            case .unreachable(let error): String(reflecting: error)
            }
            return BrokerProbe(url: url, connected: false, error: reason, nodes: nodes, queues: [])
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
        return BrokerProbe(url: url, connected: true, error: nil, nodes: nodes, queues: queues)
    }

    /// Connects to every node of the list on its own, at once.
    private static func probeNodes(_ configuration: AMQPConfiguration) async -> [Node] {
        await withTaskGroup(of: (Int, Node).self) { group in
            for (index, endpoint) in configuration.endpoints.enumerated() {
                var single = configuration
                single.endpoints = [endpoint]
                group.addTask {
                    do {
                        let connection = try await AMQPConnection.connect(configuration: single, logger: AdminLog.broker)
                        await connection.close()
                        return (index, Node(endpoint: "\(endpoint)", reachable: true))
                    } catch {
                        return (index, Node(endpoint: "\(endpoint)", reachable: false, error: String(reflecting: error)))
                    }
                }
            }
            var nodes: [(Int, Node)] = []
            for await node in group { nodes.append(node) }
            return nodes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    var lines: [String] {
        let nodeLines = nodes.map { node in
            node.reachable ? "  node \(node.endpoint): up" : "  node \(node.endpoint): DOWN (\(node.error ?? "?"))"
        } + (nodes.contains { !$0.reachable }
            ? ["  (while a node is down, a quorum queue still counts the consumers that were connected to it)"] : [])
        guard connected else { return ["broker: \(url) unreachable (\(error ?? "?"))"] + nodeLines }
        return ["broker: connected to \(url)"] + nodeLines + queues.map { queue in
            queue.declared
                ? "  \(queue.name): \(queue.ready) ready, \(queue.consumers) consumers, \(queue.deadLettered) dead-lettered waiting"
                : "  \(queue.name): missing queue(s) \(queue.missing.joined(separator: ", ")) (run: itp-admin broker setup)"
        }
    }
}
