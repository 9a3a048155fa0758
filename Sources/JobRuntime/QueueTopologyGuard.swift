public import AMQP
public import Logging
public import ServiceLifecycle
import Synchronization
import Vocabulary

/// Keeps a worker's own queue topology in place (issue 13): a work queue deleted under its
/// consumers (`rabbitmqctl delete_queue mockup.flat_lay`) made the broker cancel the
/// consumer, whose re-subscriptions then failed with 404 forever while `/readyz` said 200.
///
/// Every `interval` it checks, with passive declares, the work queue, its dead-letter queue
/// and its delay queues. When one is missing (404) the worker is not ready (``isReady``)
/// and the queue's topology is declared again — the same exchanges, queues, arguments and
/// bindings `itp-admin broker setup` declares, so it is idempotent and can never differ —
/// after which the consumer's next re-subscription finds its queue. A broker that cannot be
/// reached is not a missing queue: readiness says so through the connection check.
public final class QueueTopologyGuard: Service, Sendable {
    private let queue: Topology.WorkQueue
    private let broker: AMQPConnection
    private let interval: Duration
    private let logger: Logger
    private let missing = Mutex<[String]>([])

    public init(queue: Topology.WorkQueue, broker: AMQPConnection, interval: Duration = .seconds(5), logger: Logger) {
        self.queue = queue
        self.broker = broker
        self.interval = interval
        self.logger = logger
    }

    /// False while a queue of the topology is found missing and not yet declared again.
    public var isReady: Bool { missing.withLock { $0.isEmpty } }

    /// The queues found missing by the last check that could not be declared again.
    public var missingQueues: [String] { missing.withLock { $0 } }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if broker.isConnected { await checkOnce() }
            try? await Task.sleep(for: interval)
        }
    }

    /// One check, and a re-declaration if something is missing. Returns the queues that
    /// were missing.
    @discardableResult
    public func checkOnce() async -> [String] {
        let names = [queue.name, queue.deadLetterQueue] + Topology.delayTiers.map(queue.delayQueue)
        var absent: [String] = []
        for name in names {
            do {
                try await broker.declareQueue(name: name, passive: true)
            } catch let error as AMQPError where error.code == .channelClosed && error.replyCode == 404 {
                absent.append(name)
            } catch {
                return []  // the broker is away: the connection's readiness check reports that
            }
        }
        guard !absent.isEmpty else {
            missing.withLock { $0 = [] }
            return []
        }
        missing.withLock { $0 = absent }
        logger.error("work queue topology missing; declaring it again", metadata: [
            LogKey.amqpQueue: "\(queue.name)", LogKey.amqpMissingQueues: "\(absent.joined(separator: ","))",
        ])
        do {
            try await Topology(workQueues: [queue]).declare(on: broker)
            missing.withLock { $0 = [] }
            logger.notice("work queue topology declared again", metadata: [
                LogKey.amqpQueue: "\(queue.name)", LogKey.amqpMissingQueues: "\(absent.joined(separator: ","))",
            ])
        } catch {
            // E.g. 403 (the user may not declare) or 406: stay not ready, and say why.
            logger.error("cannot declare the work queue topology again; not ready until `itp-admin broker setup`", metadata: [
                LogKey.amqpQueue: "\(queue.name)", LogKey.error: .error(error),
            ])
        }
        return absent
    }
}
