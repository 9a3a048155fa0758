extension AMQPConnection {
    /// Starts consuming `queue` with manual acks on a channel of its own. The broker
    /// sends at most `prefetch` unacked deliveries. The consumer survives reconnects and
    /// broker cancels (it re-subscribes with the same queue, prefetch and tag).
    public func consume(queue: String, prefetch: UInt16, consumerTag: String? = nil) async throws -> AMQPConsumer {
        guard prefetch > 0 else { throw AMQPError(.invalidArgument, detail: "prefetch must be at least 1") }
        let tag = consumerTag ?? "\(configuration.connectionName).\(queue).\(UInt32.random(in: 0...UInt32.max))"
        let (stream, continuation) = AsyncStream.makeStream(of: AMQPDelivery.self)
        _ = try await core.perform(
            timeout: configuration.operationTimeout,
            timeoutError: AMQPError(.operationTimeout, detail: "basic.consume did not complete in time")
        ) { loop, operation in
            loop.addConsumer(queue: queue, tag: tag, prefetch: prefetch, continuation: continuation, operation: operation)
        }
        return AMQPConsumer(connection: self, queue: queue, tag: tag, deliveries: stream)
    }

    /// Acknowledges a delivery. Completes when written to the socket, which does not
    /// prove the broker processed it (pitfall 6): effects must be idempotent. Throws
    /// `.staleDelivery` when the delivery's channel or connection is gone (the broker
    /// requeued it and will redeliver).
    public func ack(_ delivery: AMQPDelivery) async throws {
        try await settle(delivery, .ack)
    }

    /// Negatively acknowledges a delivery; without requeue it is dead-lettered.
    public func nack(_ delivery: AMQPDelivery, requeue: Bool) async throws {
        try await settle(delivery, .nack(requeue: requeue))
    }

    /// Rejects a delivery; without requeue it is dead-lettered.
    public func reject(_ delivery: AMQPDelivery, requeue: Bool) async throws {
        try await settle(delivery, .reject(requeue: requeue))
    }

    private func settle(_ delivery: AMQPDelivery, _ settlement: Settlement) async throws {
        _ = try await core.perform(
            timeout: configuration.operationTimeout,
            timeoutError: AMQPError(.operationTimeout, detail: "settling a delivery did not complete in time"),
            waitsForConnection: false
        ) { loop, operation in
            loop.settleDelivery(delivery, settlement, operation: operation)
        }
    }

    func cancelConsumer(tag: String) async throws {
        _ = try await core.perform(
            timeout: configuration.operationTimeout,
            timeoutError: AMQPError(.operationTimeout, detail: "basic.cancel did not complete in time"),
            waitsForConnection: false
        ) { loop, operation in
            loop.cancelConsumer(tag, operation: operation)
        }
    }
}
