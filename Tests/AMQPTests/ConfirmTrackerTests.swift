@testable import AMQP
import Testing

@Suite struct ConfirmTrackerTests {
    private func outcomes(_ list: [ConfirmTracker<Int>.Outcome]) -> [Int: AMQPError.Code?] {
        Dictionary(uniqueKeysWithValues: list.map { outcome in
            switch outcome.result {
            case .success: (outcome.token, nil)
            case .failure(let error): (outcome.token, error.code)
            }
        })
    }

    @Test func multipleAckSettlesEverythingUpToTheTag() {
        var tracker = ConfirmTracker<Int>()
        for token in 1...5 { tracker.published(token, exchange: "x", routingKey: "k", body: [UInt8(token)]) }
        #expect(outcomes(tracker.acked(3, multiple: true)) == [1: nil, 2: nil, 3: nil])
        #expect(tracker.count == 2)
        #expect(outcomes(tracker.acked(5, multiple: false)) == [5: nil])
        #expect(outcomes(tracker.acked(4, multiple: false)) == [4: nil])
        #expect(tracker.count == 0)
        #expect(tracker.acked(9, multiple: true).isEmpty)
    }

    @Test func nackFails() {
        var tracker = ConfirmTracker<Int>()
        for token in 1...3 { tracker.published(token, exchange: "x", routingKey: "k", body: []) }
        #expect(outcomes(tracker.nacked(2, multiple: true)) == [1: .nacked, 2: .nacked])
        #expect(outcomes(tracker.acked(3, multiple: false)) == [3: nil])
    }

    @Test func returnThenAckIsUnroutable() {
        var tracker = ConfirmTracker<Int>()
        tracker.published(1, exchange: "x", routingKey: "routed", body: bytes("a"))
        tracker.published(2, exchange: "x", routingKey: "nowhere", body: bytes("b"))
        tracker.published(3, exchange: "x", routingKey: "nowhere", body: bytes("b"))
        let matched = tracker.returned(exchange: "x", routingKey: "nowhere", body: bytes("b"), replyCode: 312, replyText: "NO_ROUTE")
        #expect(matched)
        // The unroutable one is confirmed at once, before the routed one ahead of it.
        #expect(outcomes(tracker.acked(2, multiple: false)) == [2: .unroutable])
        #expect(outcomes(tracker.acked(3, multiple: true)) == [1: nil, 3: nil])
        let unmatched = tracker.returned(exchange: "x", routingKey: "other", body: [], replyCode: 312, replyText: "NO_ROUTE")
        #expect(!unmatched)
    }

    @Test func failAllRestartsSequenceNumbers() {
        var tracker = ConfirmTracker<Int>()
        tracker.published(1, exchange: "", routingKey: "q", body: [])
        tracker.published(2, exchange: "", routingKey: "q", body: [])
        let lost = AMQPError(.connectionLost)
        #expect(outcomes(tracker.failAll(lost)) == [1: .connectionLost, 2: .connectionLost])
        let sequence = tracker.published(3, exchange: "", routingKey: "q", body: [])
        #expect(sequence == 1)
    }
}
