@testable import AMQP
import Testing

/// The connection's life without I/O: each test feeds events and checks the action and
/// the state, the way PostgresNIO tests its `ConnectionStateMachine`.
@Suite struct ConnectionStateMachineTests {
    private let lost = AMQPError(.connectionLost, detail: "reading frames: connection closed unexpectedly")
    private let refused = AMQPError(.connectionLost, detail: "connecting to 127.0.0.1:1: a socket error occurred")
    private let t0 = ContinuousClock.now

    private let node = AMQPEndpoint(host: "127.0.0.1", port: 5672)

    /// One node; 500 ms doubling to 4 s, no jitter (the factor is 1).
    private func machine(jitter: Double = 1) -> ConnectionStateMachine {
        ConnectionStateMachine(
            backoff: Backoff(initial: .milliseconds(500), maximum: .seconds(4), jitter: { jitter }), endpoints: [node])
    }

    private func connected() -> ConnectionStateMachine {
        var machine = machine()
        _ = machine.tick(now: t0)
        _ = machine.connectSucceeded()
        return machine
    }

    // MARK: Connecting

    @Test func startsConnectingAndOpensTheSocket() {
        var machine = machine()
        #expect(machine.state == .connecting(attempt: 0, endpoint: 0))
        #expect(machine.readiness == .connecting)
        #expect(machine.acceptsWork)
        #expect(machine.tick(now: t0) == .openSocket(node))
    }

    @Test func loginConnectsTheFirstGeneration() {
        var machine = machine()
        _ = machine.tick(now: t0)
        #expect(machine.connectSucceeded() == .redeclareAndResubscribe(generation: 1))
        #expect(machine.state == .connected(generation: 1, blocked: false, endpoint: 0))
        #expect(machine.readiness == .connected)
        #expect(machine.generation == 1)
        #expect(machine.tick(now: t0) == .serviceConnection)
    }

    @Test func failedConnectSchedulesARetryAndWaitsForIt() {
        var machine = machine()
        _ = machine.tick(now: t0)
        #expect(machine.connectFailed(refused, now: t0) == .scheduleRetry(after: .milliseconds(500), error: refused, next: node))
        #expect(machine.state == .disconnected(error: refused, retryAt: t0 + .milliseconds(500), attempt: 1, endpoint: 0))
        #expect(machine.readiness == .disconnected(refused))
        #expect(machine.tick(now: t0 + .milliseconds(499)) == .waitForRetry(until: t0 + .milliseconds(500)))
        #expect(machine.state == .disconnected(error: refused, retryAt: t0 + .milliseconds(500), attempt: 1, endpoint: 0))
        #expect(machine.tick(now: t0 + .milliseconds(500)) == .openSocket(node))
        #expect(machine.state == .connecting(attempt: 1, endpoint: 0))
        #expect(machine.readiness == .connecting)
    }

    @Test func retryBackoffDoublesUpToTheCap() {
        var machine = machine()
        var now = t0
        var delays: [Duration] = []
        for attempt in 1...6 {
            #expect(machine.tick(now: now) == .openSocket(node))
            guard case .scheduleRetry(let delay, _, _) = machine.connectFailed(refused, now: now) else {
                Issue.record("no retry scheduled")
                return
            }
            #expect(machine.state == .disconnected(error: refused, retryAt: now + delay, attempt: attempt, endpoint: 0))
            delays.append(delay)
            now += delay
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
    }

    @Test func jitterScalesEachDelay() {
        var machine = machine(jitter: 0.5)
        _ = machine.tick(now: t0)
        #expect(machine.connectFailed(refused, now: t0) == .scheduleRetry(after: .milliseconds(250), error: refused, next: node))
    }

    @Test func loginResetsTheBackoff() {
        var machine = machine()
        var now = t0
        for _ in 1...3 {
            _ = machine.tick(now: now)
            _ = machine.connectFailed(refused, now: now)
            now += .seconds(5)
        }
        _ = machine.tick(now: now)
        #expect(machine.connectSucceeded() == .redeclareAndResubscribe(generation: 1))
        #expect(machine.connectionLost(lost, now: now) == .tearDown(error: lost, retryAfter: .milliseconds(500)))
    }

    // MARK: Losing the connection

    @Test func lossTearsDownAndRetries() {
        var machine = connected()
        #expect(machine.connectionLost(lost, now: t0) == .tearDown(error: lost, retryAfter: .milliseconds(500)))
        #expect(machine.state == .disconnected(error: lost, retryAt: t0 + .milliseconds(500), attempt: 1, endpoint: 0))
        #expect(machine.readiness == .disconnected(lost))
        #expect(machine.acceptsWork)
    }

    @Test func reconnectCountsAGeneration() {
        var machine = connected()
        _ = machine.connectionLost(lost, now: t0)
        #expect(machine.tick(now: t0 + .seconds(1)) == .openSocket(node))
        #expect(machine.generation == 1)
        #expect(machine.connectSucceeded() == .redeclareAndResubscribe(generation: 2))
        #expect(machine.state == .connected(generation: 2, blocked: false, endpoint: 0))
    }

    @Test func repeatedLossAfterFailedRetriesGrowsTheBackoff() {
        var machine = connected()
        #expect(machine.connectionLost(lost, now: t0) == .tearDown(error: lost, retryAfter: .milliseconds(500)))
        _ = machine.tick(now: t0 + .seconds(1))
        #expect(machine.connectFailed(refused, now: t0 + .seconds(1)) == .scheduleRetry(after: .seconds(1), error: refused, next: node))
        #expect(machine.state == .disconnected(error: refused, retryAt: t0 + .seconds(2), attempt: 2, endpoint: 0))
    }

    // MARK: Blocked publishing

    @Test func blockedAndUnblockedWhileConnected() {
        var machine = connected()
        #expect(machine.blocked() == .none)
        #expect(machine.isBlocked)
        #expect(machine.state == .connected(generation: 1, blocked: true, endpoint: 0))
        #expect(machine.readiness == .connected)
        #expect(machine.unblocked() == .none)
        #expect(!machine.isBlocked)
    }

    @Test func lossClearsBlocked() {
        var machine = connected()
        _ = machine.blocked()
        _ = machine.connectionLost(lost, now: t0)
        #expect(!machine.isBlocked)
        _ = machine.tick(now: t0 + .seconds(1))
        _ = machine.connectSucceeded()
        #expect(!machine.isBlocked)
    }

    @Test func blockedIsIgnoredWhenNotConnected() {
        var machine = machine()
        _ = machine.blocked()
        #expect(!machine.isBlocked)
        #expect(machine.state == .connecting(attempt: 0, endpoint: 0))
        _ = machine.tick(now: t0)
        _ = machine.connectFailed(refused, now: t0)
        _ = machine.blocked()
        #expect(!machine.isBlocked)
    }

    // MARK: Stopping

    @Test func stopWhileConnectedShutsDownAndCloses() {
        var machine = connected()
        _ = machine.blocked()
        #expect(machine.stopRequested(graceful: true) == .none)
        #expect(machine.state == .stopping(graceful: true, reported: .connected, blocked: true))
        #expect(!machine.acceptsWork)
        #expect(machine.readiness == .connected)
        #expect(machine.isBlocked)
        #expect(machine.tick(now: t0) == .shutDown(graceful: true))
        #expect(machine.shutdownFinished() == .none)
        #expect(machine.state == .closed)
        #expect(machine.isClosed)
        #expect(machine.readiness == .closed)
        #expect(!machine.isBlocked)
        #expect(machine.tick(now: t0) == .none)
    }

    @Test func stopDuringConnectingThatSucceedsClosesTheNewConnection() {
        var machine = machine()
        #expect(machine.tick(now: t0) == .openSocket(node))
        _ = machine.stopRequested(graceful: true)
        #expect(machine.readiness == .connecting)
        #expect(machine.connectSucceeded() == .none)
        #expect(machine.generation == 1)
        #expect(machine.readiness == .connected)
        #expect(machine.tick(now: t0) == .shutDown(graceful: true))
    }

    @Test func stopDuringConnectingThatFailsDoesNotRetry() {
        var machine = machine()
        _ = machine.tick(now: t0)
        _ = machine.stopRequested(graceful: true)
        #expect(machine.connectFailed(refused, now: t0) == .none)
        #expect(machine.state == .stopping(graceful: true, reported: .disconnected(refused), blocked: false))
        #expect(machine.tick(now: t0 + .seconds(60)) == .shutDown(graceful: true))
    }

    @Test func stopWhileWaitingToRetryShutsDownAtOnce() {
        var machine = connected()
        _ = machine.connectionLost(lost, now: t0)
        _ = machine.stopRequested(graceful: true)
        #expect(machine.readiness == .disconnected(lost))
        #expect(machine.tick(now: t0) == .shutDown(graceful: true))
    }

    @Test func lossDuringStopTearsDownWithoutRetry() {
        var machine = connected()
        _ = machine.blocked()
        _ = machine.stopRequested(graceful: true)
        #expect(machine.connectionLost(lost, now: t0) == .tearDown(error: lost, retryAfter: nil))
        #expect(machine.state == .stopping(graceful: true, reported: .disconnected(lost), blocked: false))
        #expect(machine.tick(now: t0) == .shutDown(graceful: true))
    }

    @Test func aForcedStopOverridesAGracefulOneNeverTheReverse() {
        var machine = connected()
        _ = machine.stopRequested(graceful: true)
        _ = machine.stopRequested(graceful: false)
        #expect(machine.tick(now: t0) == .shutDown(graceful: false))
        _ = machine.stopRequested(graceful: true)
        #expect(machine.tick(now: t0) == .shutDown(graceful: false))
    }

    @Test func blockedNotificationsStillCountWhileStopping() {
        var machine = connected()
        _ = machine.stopRequested(graceful: true)
        _ = machine.blocked()
        #expect(machine.isBlocked)
        _ = machine.unblocked()
        #expect(!machine.isBlocked)
    }

    @Test func closedIsFinal() {
        var machine = connected()
        _ = machine.stopRequested(graceful: false)
        _ = machine.shutdownFinished()
        #expect(machine.stopRequested(graceful: true) == .none)
        _ = machine.blocked()
        #expect(machine.state == .closed)
        #expect(!machine.acceptsWork)
        #expect(machine.generation == 1)
    }
}
