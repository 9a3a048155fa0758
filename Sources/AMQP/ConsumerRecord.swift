/// The I/O thread's view of one consumer: enough to re-subscribe it after a reconnect
/// or a broker cancel, and to check that an ack still targets the channel it came on.
struct ConsumerRecord {
    var queue: String
    var tag: String
    var prefetch: UInt16
    /// Its own channel (`amqp_channel_t`).
    var channel: UInt16
    var continuation: AsyncStream<AMQPDelivery>.Continuation
    var subscribed = false
    /// Cancelled by its owner: never re-subscribed; its stream ends after buffered deliveries.
    var cancelled = false
    var finished = false
    /// When to try subscribing again (nil: at once).
    var retryAt: ContinuousClock.Instant?
    var failures = 0
    /// The `consume()` call waiting for the first subscription.
    var pendingStart: UInt64?
}

/// How a delivery is settled.
enum Settlement: Sendable {
    case ack
    case nack(requeue: Bool)
    case reject(requeue: Bool)
}
