/// The broker topology (DESIGN.md §5) as data: `itp-admin broker setup` declares it and
/// `deploy/rabbitmq-definitions.json` is generated from it, so the two cannot drift.
/// Queue and exchange names are part of the operator interface: keep them stable.
public struct Topology: Sendable {
    /// Direct exchange for jobs; the routing key is the work queue's name.
    public static let jobsExchange = "itp.jobs"
    /// Topic exchange for the events handlers send through the outbox; the routing key is the event's name.
    public static let eventsExchange = "itp.events"
    /// Dead-letter exchange; the routing key is the work queue's name, bound to `<queue>.dead`.
    public static let deadLetterExchange = "itp.dead"

    /// A work queue: a quorum queue with a delivery limit, at-least-once dead-lettering to
    /// `<name>.dead`, and delay queues for backoff.
    public struct WorkQueue: Sendable, Hashable {
        public var name: String
        /// Redeliveries before the broker dead-letters a message (poison messages). Generous,
        /// because in RabbitMQ 3.10 every return counts, prefetched-but-untouched included.
        public var deliveryLimit: Int
        /// The exchange and binding keys feeding it.
        public var exchange: String
        public var bindingKeys: [String]

        public init(name: String, deliveryLimit: Int, exchange: String, bindingKeys: [String]) {
            self.name = name
            self.deliveryLimit = deliveryLimit
            self.exchange = exchange
            self.bindingKeys = bindingKeys
        }

        public var deadLetterQueue: String { name + ".dead" }

        /// The delay queue holding retries of up to `tier` before they return to this queue.
        public func delayQueue(_ tier: Duration) -> String {
            "\(name).delay.\(Topology.label(tier))"
        }
    }

    /// Delay tiers: a retry waits in the smallest tier at least as long as its backoff.
    public static let delayTiers: [Duration] = [
        .seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(3600),
    ]

    public var workQueues: [WorkQueue]
    /// Replicas of every quorum queue (`x-quorum-initial-group-size`), nil: the argument is
    /// left out and RabbitMQ 3.10 places a replica on every cluster node at declare time.
    /// A declare-time argument only (no policy sets it for quorum queues in 3.10), compared
    /// on redeclare: queues declared with it cannot be declared again without it (RabbitMQ
    /// closes the channel, "inequivalent arg"), so set it for a vhost from the start.
    public var quorumInitialGroupSize: Int?

    /// The topology of `workQueues`: the product's queue list is data (`ProductQueues`
    /// in `ProductFlow`), a worker's own topology is its one queue.
    public init(workQueues: [WorkQueue], quorumInitialGroupSize: Int? = nil) {
        self.workQueues = workQueues
        self.quorumInitialGroupSize = quorumInitialGroupSize
    }

    /// The queue that holds a retry of `queue` for `delay` (rounded up to a tier; the
    /// longest tier caps it).
    public static func delayQueue(for queue: WorkQueue, delay: Duration) -> (name: String, tier: Duration) {
        let tier = delayTiers.first { $0 >= delay } ?? delayTiers[delayTiers.count - 1]
        return (queue.delayQueue(tier), tier)
    }

    static func label(_ tier: Duration) -> String {
        let seconds = tier.components.seconds
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
