@testable import AMQP
import Testing

/// Subscription bookkeeping of the consumer table, without a broker.
@Suite struct ConsumerTableTests {
    private let t0 = ContinuousClock.now

    private func record(_ tag: String, channel: UInt16 = 3, pendingStart: UInt64? = nil) -> ConsumerRecord {
        ConsumerRecord(
            queue: "q.\(tag)", tag: tag, prefetch: 1, channel: channel,
            continuation: AsyncStream.makeStream(of: AMQPDelivery.self).continuation, pendingStart: pendingStart)
    }

    @Test func resubscribeDelayDoublesFromOneSecondToTen() {
        let delays = (0...7).map { ConsumerTable.resubscribeDelay(failures: $0) }
        #expect(delays == [1, 1, 2, 4, 8, 10, 10, 10].map { Duration.seconds($0) })
    }

    @Test func aNewConsumerWaitsForItsFirstConsumeOk() {
        var table = ConsumerTable()
        table.insert(record("a", pendingStart: 7))
        #expect(table.due(now: t0).isEmpty)
        let started = table.firstSubscriptionStarted(onChannel: 3)
        #expect(started?.pendingStart == 7)
        #expect(table["a"]?.pendingStart == nil)
        #expect(table.firstSubscriptionStarted(onChannel: 3) == nil)
    }

    @Test func subscribedConsumersAreNotDueUntilTheConnectionIsLost() {
        var table = ConsumerTable()
        table.insert(record("a"))
        table.insert(record("b", channel: 4))
        #expect(Set(table.due(now: t0)) == ["a", "b"])
        table.subscribed("a")
        table.subscribed("b")
        #expect(table.due(now: t0).isEmpty)
        table.connectionLost()
        #expect(Set(table.due(now: t0)) == ["a", "b"])
    }

    @Test func refusedSubscriptionsBackOffAndADeliveryResetsThem() {
        var table = ConsumerTable()
        table.insert(record("a"))
        #expect(table.subscriptionRefused("a", now: t0) == .seconds(1))
        #expect(table.due(now: t0 + .milliseconds(999)).isEmpty)
        #expect(table.due(now: t0 + .seconds(1)) == ["a"])
        #expect(table.subscriptionRefused("a", now: t0) == .seconds(2))
        #expect(table.subscriptionRefused("a", now: t0) == .seconds(4))
        #expect(table["a"]?.failures == 3)
        #expect(table.deliveryArrived("a")?.tag == "a")
        #expect(table["a"]?.failures == 0)
        #expect(table.subscriptionRefused("a", now: t0) == .seconds(1))
        #expect(table.subscriptionRefused("unknown", now: t0) == nil)
    }

    @Test func aNewLoginSubscribesEveryoneAtOnce() {
        var table = ConsumerTable()
        table.insert(record("a"))
        table.subscriptionRefused("a", now: t0)
        table.connectionLost()
        #expect(table.due(now: t0).isEmpty)
        table.connectionOpened()
        #expect(table.due(now: t0) == ["a"])
    }

    @Test func brokerCancelResubscribesAfterOneSecond() {
        var table = ConsumerTable()
        table.insert(record("a"))
        table.subscribed("a")
        #expect(table.cancelledByBroker("a", now: t0)?.queue == "q.a")
        #expect(table.due(now: t0 + .milliseconds(999)).isEmpty)
        #expect(table.due(now: t0 + .seconds(1)) == ["a"])
        #expect(table.cancelledByBroker("unknown", now: t0) == nil)
    }

    @Test func anOwnerCancelIsFinalAndEndsTheStreamOnce() {
        var table = ConsumerTable()
        table.insert(record("a"))
        table.subscribed("a")
        let before = table.cancel("a")
        #expect(before?.subscribed == true)
        #expect(table["a"]?.cancelled == true)
        #expect(table["a"]?.subscribed == false)
        #expect(table.cancel("a") == nil)
        table.connectionLost()
        table.connectionOpened()
        #expect(table.due(now: t0).isEmpty)
        #expect(table.deliveryArrived("a") != nil)
        #expect(table.takeCancelledUnfinished().map(\.tag) == ["a"])
        #expect(table.takeCancelledUnfinished().isEmpty)
        #expect(table.deliveryArrived("a") == nil)
    }

    @Test func channelsAndRemoval() {
        var table = ConsumerTable()
        table.insert(record("a", channel: 3))
        table.insert(record("b", channel: 4))
        #expect(table.tags(onChannel: 4) == ["b"])
        #expect(table.remove("b")?.tag == "b")
        #expect(table["b"] == nil)
        #expect(table.removeAll().map(\.tag) == ["a"])
        #expect(table.isEmpty)
    }
}
