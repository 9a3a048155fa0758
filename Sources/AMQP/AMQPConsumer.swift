/// A subscription to one queue. Iterate ``deliveries``; settle each through the
/// connection (`ack`, `nack`, `reject`).
public struct AMQPConsumer: Sendable {
    /// The connection the deliveries must be settled on.
    public let connection: AMQPConnection
    public let queue: String
    public let tag: String
    /// Deliveries in arrival order, across reconnects. Bounded by the prefetch (the broker
    /// sends no more unacked messages). Ends after ``cancel()`` or `close()`.
    public let deliveries: AsyncStream<AMQPDelivery>

    /// Stops deliveries (basic.cancel). Already-received deliveries stay in the stream and
    /// can still be acked; graceful shutdown = cancel, finish jobs, ack, then close.
    public func cancel() async throws {
        try await connection.cancelConsumer(tag: tag)
    }
}
