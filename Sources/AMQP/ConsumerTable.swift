/// The I/O thread's consumers by tag, and every change to their subscription state:
/// what the connection's events do to each record. No I/O; the loop sends the methods.
struct ConsumerTable {
    private var records: [String: ConsumerRecord] = [:]

    subscript(tag: String) -> ConsumerRecord? { records[tag] }

    var tags: [String] { Array(records.keys) }

    var isEmpty: Bool { records.isEmpty }

    mutating func insert(_ record: ConsumerRecord) {
        records[record.tag] = record
    }

    /// Forgets a consumer (its first subscription failed or it is closed).
    @discardableResult
    mutating func remove(_ tag: String) -> ConsumerRecord? {
        records.removeValue(forKey: tag)
    }

    mutating func removeAll() -> [ConsumerRecord] {
        defer { records.removeAll() }
        return Array(records.values)
    }

    // MARK: Connection events

    /// A new login: every consumer subscribes again at once.
    mutating func connectionOpened() {
        for index in records.indices {
            records.values[index].subscribed = false
            records.values[index].retryAt = nil
        }
    }

    /// The connection is gone: nothing is subscribed; retry times are kept.
    mutating func connectionLost() {
        for index in records.indices { records.values[index].subscribed = false }
    }

    // MARK: Subscription events

    /// basic.consume was written.
    mutating func subscribed(_ tag: String) {
        guard var record = records[tag] else { return }
        record.subscribed = true
        record.retryAt = nil
        records[tag] = record
    }

    /// A subscription was refused (channel.close, e.g. 404 while its queue is missing):
    /// it backs off 1 s, 2 s, … 10 s, back to 1 s once a delivery arrives. Returns the delay.
    @discardableResult
    mutating func subscriptionRefused(_ tag: String, now: ContinuousClock.Instant) -> Duration? {
        guard var record = records[tag] else { return nil }
        record.subscribed = false
        record.failures += 1
        let delay = Self.resubscribeDelay(failures: record.failures)
        record.retryAt = now + delay
        records[tag] = record
        return delay
    }

    /// consumer_cancel_notify: the queue was deleted or failed over; subscribe again in 1 s.
    mutating func cancelledByBroker(_ tag: String, now: ContinuousClock.Instant) -> ConsumerRecord? {
        guard var record = records[tag] else { return nil }
        record.subscribed = false
        record.retryAt = now + .seconds(1)
        records[tag] = record
        return record
    }

    /// consume-ok on `channel` for a first subscription: the record no longer waits for it.
    /// Returns the record as it was (with the waiting operation).
    mutating func firstSubscriptionStarted(onChannel channel: UInt16) -> ConsumerRecord? {
        guard var record = records.values.first(where: { $0.channel == channel && $0.pendingStart != nil }) else {
            return nil
        }
        let started = record
        record.pendingStart = nil
        record.failures = 0
        records[record.tag] = record
        return started
    }

    /// A delivery for `tag` arrived: the record to yield it to (nil once its stream ended).
    /// A delivery proves the subscription works, so failures reset.
    mutating func deliveryArrived(_ tag: String) -> ConsumerRecord? {
        guard var record = records[tag], !record.finished else { return nil }
        if record.failures != 0 {
            record.failures = 0
            records[tag] = record
        }
        return record
    }

    /// Cancelled by its owner. Returns the record as it was if this cancels it (nil when
    /// unknown or already cancelled); it is never subscribed again.
    mutating func cancel(_ tag: String) -> ConsumerRecord? {
        guard var record = records[tag], !record.cancelled else { return nil }
        let before = record
        record.cancelled = true
        record.subscribed = false
        records[tag] = record
        return before
    }

    /// Cancelled consumers whose streams have not ended yet; marks them finished.
    mutating func takeCancelledUnfinished() -> [ConsumerRecord] {
        var taken: [ConsumerRecord] = []
        for index in records.indices where records.values[index].cancelled && !records.values[index].finished {
            records.values[index].finished = true
            taken.append(records.values[index])
        }
        return taken
    }

    // MARK: Queries

    /// Consumers to subscribe now: not subscribed, not cancelled, not waiting for a first
    /// consume-ok, and due.
    func due(now: ContinuousClock.Instant) -> [String] {
        records.values.filter { record in
            !record.subscribed && !record.cancelled && record.pendingStart == nil && (record.retryAt ?? now) <= now
        }.map(\.tag)
    }

    func tags(onChannel channel: UInt16) -> [String] {
        records.values.filter { $0.channel == channel }.map(\.tag)
    }

    /// 1 s after the first failure, doubling up to 10 s (a queue declared again is consumed
    /// again within seconds).
    static func resubscribeDelay(failures: Int) -> Duration {
        min(Duration.seconds(1) * (1 << min(max(failures, 1) - 1, 4)), .seconds(10))
    }
}
