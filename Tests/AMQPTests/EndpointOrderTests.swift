@testable import AMQP
import Testing

/// Which broker node the connection tries, without I/O: a shuffled start, the next node at
/// once when one cannot be reached, the backoff only after a whole round failed, and after
/// a loss the other nodes first.
@Suite struct EndpointOrderTests {
    private let lost = AMQPError(.connectionLost, detail: "reading frames: connection closed unexpectedly")
    private let refused = AMQPError(.connectionLost, detail: "a socket error occurred")
    private let t0 = ContinuousClock.now
    private let nodes = [
        AMQPEndpoint(host: "rabbit1", port: 5671, usesTLS: true),
        AMQPEndpoint(host: "rabbit2", port: 5671, usesTLS: true),
        AMQPEndpoint(host: "rabbit3", port: 5671, usesTLS: true),
    ]

    /// The nodes in the order given (no shuffle); 500 ms doubling, no jitter.
    private func machine() -> ConnectionStateMachine {
        ConnectionStateMachine(
            backoff: Backoff(initial: .milliseconds(500), maximum: .seconds(4), jitter: { 1 }), endpoints: nodes, order: { $0 })
    }

    @Test func theOrderIsArrangedOnceAndTheFirstNodeIsTriedFirst() {
        var machine = ConnectionStateMachine(
            backoff: Backoff(initial: .milliseconds(500), maximum: .seconds(4)), endpoints: nodes, order: { $0.reversed() })
        #expect(machine.endpoints == nodes.reversed())
        #expect(machine.tick(now: t0) == .openSocket(nodes[2]))
    }

    @Test func theDefaultOrderIsAShuffleOfEveryNode() {
        // Over many connections every node comes first at least once (a fleet spreads).
        var firsts = Set<AMQPEndpoint>()
        for _ in 0..<200 {
            var machine = ConnectionStateMachine(backoff: Backoff(initial: .milliseconds(500), maximum: .seconds(4)), endpoints: nodes)
            #expect(Set(machine.endpoints) == Set(nodes))
            #expect(machine.endpoints.count == nodes.count)
            guard case .openSocket(let first) = machine.tick(now: t0) else {
                Issue.record("no socket opened")
                return
            }
            firsts.insert(first)
        }
        #expect(firsts == Set(nodes))
    }

    @Test func aFailedNodeMovesToTheNextAtOnceAndTheBackoffWaitsForAWholeRound() {
        var machine = machine()
        #expect(machine.tick(now: t0) == .openSocket(nodes[0]))
        #expect(machine.connectFailed(refused, now: t0) == .scheduleRetry(after: .zero, error: refused, next: nodes[1]))
        #expect(machine.tick(now: t0) == .openSocket(nodes[1]))
        #expect(machine.connectFailed(refused, now: t0) == .scheduleRetry(after: .zero, error: refused, next: nodes[2]))
        #expect(machine.tick(now: t0) == .openSocket(nodes[2]))
        // Every node failed: the round ends with the backoff, then starts again at the first.
        #expect(machine.connectFailed(refused, now: t0) == .scheduleRetry(after: .milliseconds(500), error: refused, next: nodes[0]))
        #expect(machine.state == .disconnected(error: refused, retryAt: t0 + .milliseconds(500), attempt: 3, endpoint: 0))
        #expect(machine.tick(now: t0 + .milliseconds(100)) == .waitForRetry(until: t0 + .milliseconds(500)))
        #expect(machine.tick(now: t0 + .milliseconds(500)) == .openSocket(nodes[0]))
        _ = machine.connectFailed(refused, now: t0 + .milliseconds(500))
        _ = machine.tick(now: t0 + .milliseconds(500))
        _ = machine.connectFailed(refused, now: t0 + .milliseconds(500))
        _ = machine.tick(now: t0 + .milliseconds(500))
        // The second failed round doubles the delay.
        #expect(
            machine.connectFailed(refused, now: t0 + .milliseconds(500))
                == .scheduleRetry(after: .seconds(1), error: refused, next: nodes[0]))
    }

    @Test func aLoginOnTheSecondNodeReportsIt() {
        var machine = machine()
        _ = machine.tick(now: t0)
        _ = machine.connectFailed(refused, now: t0)
        #expect(machine.tick(now: t0) == .openSocket(nodes[1]))
        #expect(machine.connectSucceeded() == .redeclareAndResubscribe(generation: 1))
        #expect(machine.state == .connected(generation: 1, blocked: false, endpoint: 1))
        #expect(machine.connectedEndpoint == nodes[1])
    }

    @Test func aLostNodeIsTriedLastAfterTheOthers() {
        var machine = machine()
        _ = machine.tick(now: t0)
        _ = machine.connectSucceeded()
        #expect(machine.connectedEndpoint == nodes[0])
        #expect(machine.connectionLost(lost, now: t0) == .tearDown(error: lost, retryAfter: .milliseconds(500)))
        #expect(machine.connectedEndpoint == nil)
        #expect(machine.tick(now: t0 + .milliseconds(500)) == .openSocket(nodes[1]))
        #expect(machine.connectFailed(refused, now: t0) == .scheduleRetry(after: .zero, error: refused, next: nodes[2]))
        #expect(machine.tick(now: t0 + .milliseconds(500)) == .openSocket(nodes[2]))
        #expect(machine.connectFailed(refused, now: t0) == .scheduleRetry(after: .zero, error: refused, next: nodes[0]))
        #expect(machine.tick(now: t0 + .milliseconds(500)) == .openSocket(nodes[0]))
        #expect(machine.connectSucceeded() == .redeclareAndResubscribe(generation: 2))
        #expect(machine.connectedEndpoint == nodes[0])
    }

    @Test func aLossInTheMiddleOfARoundStartsAFullRound() {
        var machine = machine()
        _ = machine.tick(now: t0)
        _ = machine.connectFailed(refused, now: t0)
        _ = machine.tick(now: t0)
        _ = machine.connectSucceeded()
        _ = machine.connectionLost(lost, now: t0)
        // Connected to node 2 and lost it: nodes 3 and 1 are tried at once, then node 2 ends the round.
        #expect(machine.tick(now: t0 + .seconds(1)) == .openSocket(nodes[2]))
        #expect(machine.connectFailed(refused, now: t0 + .seconds(1)) == .scheduleRetry(after: .zero, error: refused, next: nodes[0]))
        _ = machine.tick(now: t0 + .seconds(1))
        #expect(machine.connectFailed(refused, now: t0 + .seconds(1)) == .scheduleRetry(after: .zero, error: refused, next: nodes[1]))
        _ = machine.tick(now: t0 + .seconds(1))
        guard case .scheduleRetry(let delay, _, let next) = machine.connectFailed(refused, now: t0 + .seconds(1)) else {
            Issue.record("no retry scheduled")
            return
        }
        #expect(delay > .zero)
        #expect(next == nodes[2])
    }
}
