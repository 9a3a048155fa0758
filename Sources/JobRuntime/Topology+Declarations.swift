/// Broker objects as plain declarations: the input of both `itp-admin broker setup` and
/// the RabbitMQ definitions file.
extension Topology {
    public enum ArgumentValue: Sendable, Hashable {
        case string(String)
        case int(Int)
    }

    public struct ExchangeDeclaration: Sendable, Hashable {
        public var name: String
        public var type: String
    }

    public struct QueueDeclaration: Sendable, Hashable {
        public var name: String
        public var arguments: [String: ArgumentValue]
    }

    public struct Binding: Sendable, Hashable {
        public var exchange: String
        public var queue: String
        public var routingKey: String
    }

    public var exchanges: [ExchangeDeclaration] {
        [
            .init(name: Self.jobsExchange, type: "direct"),
            .init(name: Self.eventsExchange, type: "topic"),
            .init(name: Self.deadLetterExchange, type: "direct"),
        ]
    }

    /// Every queue is a durable quorum queue. Dead-lettering is at-least-once, which needs
    /// `reject-publish` overflow; an unbound dead-letter exchange would drop silently, so
    /// every work queue's dead-letter queue is bound below.
    public var queues: [QueueDeclaration] {
        var queues: [QueueDeclaration] = []
        for queue in workQueues {
            queues.append(.init(name: queue.name, arguments: [
                "x-queue-type": .string("quorum"),
                "x-delivery-limit": .int(queue.deliveryLimit),
                "x-dead-letter-exchange": .string(Self.deadLetterExchange),
                "x-dead-letter-routing-key": .string(queue.name),
                "x-dead-letter-strategy": .string("at-least-once"),
                "x-overflow": .string("reject-publish"),
            ]))
            queues.append(.init(name: queue.deadLetterQueue, arguments: ["x-queue-type": .string("quorum")]))
            for tier in Self.delayTiers {
                // A retry expires after the tier's TTL and is dead-lettered back to its work
                // queue through the jobs exchange (at-least-once, so a crash cannot drop it).
                queues.append(.init(name: queue.delayQueue(tier), arguments: [
                    "x-queue-type": .string("quorum"),
                    "x-message-ttl": .int(Int(tier.components.seconds) * 1000),
                    "x-dead-letter-exchange": .string(Self.jobsExchange),
                    "x-dead-letter-routing-key": .string(queue.name),
                    "x-dead-letter-strategy": .string("at-least-once"),
                    "x-overflow": .string("reject-publish"),
                ]))
            }
        }
        guard let size = quorumInitialGroupSize else { return queues }
        return queues.map { queue in
            var queue = queue
            queue.arguments["x-quorum-initial-group-size"] = .int(size)
            return queue
        }
    }

    public var bindings: [Binding] {
        var bindings: [Binding] = []
        for queue in workQueues {
            for key in queue.bindingKeys {
                bindings.append(.init(exchange: queue.exchange, queue: queue.name, routingKey: key))
            }
            // Retries re-enter through the jobs exchange, whatever exchange feeds the queue.
            if queue.exchange != Self.jobsExchange {
                bindings.append(.init(exchange: Self.jobsExchange, queue: queue.name, routingKey: queue.name))
            }
            bindings.append(.init(exchange: Self.deadLetterExchange, queue: queue.deadLetterQueue, routingKey: queue.name))
        }
        return bindings
    }
}
