/// The life of one AMQP connection as a value: events in, actions out. It performs no
/// I/O and reads no clock (`now` is passed in); the I/O loop performs the actions it
/// returns, and callers read readiness from it. It lives in ``ConnectionCore``'s mutex
/// because stop requests and readiness reads come from other threads.
///
/// Endpoints: the broker's nodes, shuffled once (so a fleet spreads over a cluster). A
/// failed attempt moves on to the next node at once; only when every node of a round has
/// failed does the backoff delay the next round. A lost connection reconnects after the
/// backoff delay to the next node, the lost one last.
struct ConnectionStateMachine {
    enum State: Equatable {
        /// Opening the socket to `endpoint` (an index into ``endpoints``) and logging in;
        /// `attempt` counts the failed attempts since the last login (0 for the first connection).
        case connecting(attempt: Int, endpoint: Int)
        /// Logged in to `endpoint` for the `generation`th time; `blocked` while the broker
        /// refuses publishes.
        case connected(generation: UInt64, blocked: Bool, endpoint: Int)
        /// Lost or refused; the next attempt, to `endpoint`, is due at `retryAt`.
        case disconnected(error: AMQPError, retryAt: ContinuousClock.Instant, attempt: Int, endpoint: Int)
        /// The owner asked to close. Readiness keeps reporting what it was (`reported`,
        /// `blocked`) until the I/O loop has finished, as callers always saw it.
        case stopping(graceful: Bool, reported: ConnectionState, blocked: Bool)
        /// The I/O loop has exited; final.
        case closed
    }

    enum Action: Equatable {
        case none
        /// Open the socket to this node and log in, then report `connectSucceeded` or `connectFailed`.
        case openSocket(AMQPEndpoint)
        /// Logged in: open the publish channel; every consumer subscribes again.
        case redeclareAndResubscribe(generation: UInt64)
        /// The attempt failed; the next, to `next`, is due after `after` (zero: another node
        /// of the round, at once; the loop waits and ticks).
        case scheduleRetry(after: Duration, error: AMQPError, next: AMQPEndpoint)
        /// The connection is gone: drop it, fail unconfirmed publishes, the RPC in flight and
        /// unconfirmed first subscriptions; retry after `retryAfter` (nil: stopping, no retry).
        case tearDown(error: AMQPError, retryAfter: Duration?)
        /// Nothing to decide: service the live connection (commands, frames, heartbeats).
        case serviceConnection
        /// Not connected and no attempt due: run the commands that need no connection and wait.
        case waitForRetry(until: ContinuousClock.Instant)
        /// Close (gracefully: cancel consumers, drain, close-ok) and report `shutdownFinished`.
        case shutDown(graceful: Bool)
    }

    private(set) var state: State = .connecting(attempt: 0, endpoint: 0)
    /// Successful logins so far (kept across states; a connected state carries its own).
    private(set) var generation: UInt64 = 0
    /// The broker's nodes in the order this connection tries them (shuffled once).
    let endpoints: [AMQPEndpoint]
    private var backoff: Backoff
    /// Attempts that failed in the current round over ``endpoints``.
    private var failedInRound = 0

    /// `order` arranges the endpoints once (a shuffle; fixed in tests).
    init(
        backoff: Backoff, endpoints: [AMQPEndpoint],
        order: ([AMQPEndpoint]) -> [AMQPEndpoint] = { $0.shuffled() }
    ) {
        precondition(!endpoints.isEmpty, "AMQP: no endpoint to connect to")
        self.backoff = backoff
        self.endpoints = order(endpoints)
    }

    // MARK: Reading

    /// Readiness as the public API reports it.
    var readiness: ConnectionState {
        switch state {
        case .connecting: .connecting
        case .connected: .connected
        case .disconnected(let error, _, _, _): .disconnected(error)
        case .stopping(_, let reported, _): reported
        case .closed: .closed
        }
    }

    var isBlocked: Bool {
        switch state {
        case .connected(_, let blocked, _), .stopping(_, _, let blocked): blocked
        case .connecting, .disconnected, .closed: false
        }
    }

    /// New work is refused once a stop is requested.
    var acceptsWork: Bool {
        switch state {
        case .connecting, .connected, .disconnected: true
        case .stopping, .closed: false
        }
    }

    var isClosed: Bool { state == .closed }

    /// The node the connection is logged in to.
    var connectedEndpoint: AMQPEndpoint? {
        if case .connected(_, _, let endpoint) = state { return endpoints[endpoint] }
        return nil
    }

    private func following(_ endpoint: Int) -> Int { (endpoint + 1) % endpoints.count }

    // MARK: Events

    /// One iteration of the I/O loop begins: what it should do now. A due retry timer
    /// starts the next attempt here.
    mutating func tick(now: ContinuousClock.Instant) -> Action {
        switch state {
        case .connecting(_, let endpoint):
            return .openSocket(endpoints[endpoint])
        case .connected:
            return .serviceConnection
        case .disconnected(_, let retryAt, let attempt, let endpoint):
            guard now >= retryAt else { return .waitForRetry(until: retryAt) }
            state = .connecting(attempt: attempt, endpoint: endpoint)
            return .openSocket(endpoints[endpoint])
        case .stopping(let graceful, _, _):
            return .shutDown(graceful: graceful)
        case .closed:
            return .none
        }
    }

    mutating func connectSucceeded() -> Action {
        switch state {
        case .connecting(_, let endpoint):
            generation += 1
            backoff.reset()
            failedInRound = 0
            state = .connected(generation: generation, blocked: false, endpoint: endpoint)
            return .redeclareAndResubscribe(generation: generation)
        case .stopping(let graceful, _, let blocked):
            // Stop requested while logging in: the next tick closes this connection.
            generation += 1
            state = .stopping(graceful: graceful, reported: .connected, blocked: blocked)
            return .none
        case .connected, .disconnected, .closed:
            preconditionFailure("AMQP: connectSucceeded in state \(state)")
        }
    }

    mutating func connectFailed(_ error: AMQPError, now: ContinuousClock.Instant) -> Action {
        switch state {
        case .connecting(let attempt, let endpoint):
            let next = following(endpoint)
            failedInRound += 1
            var delay = Duration.zero
            if failedInRound >= endpoints.count {
                failedInRound = 0
                delay = backoff.next()
            }
            state = .disconnected(error: error, retryAt: now + delay, attempt: attempt + 1, endpoint: next)
            return .scheduleRetry(after: delay, error: error, next: endpoints[next])
        case .stopping(let graceful, _, _):
            state = .stopping(graceful: graceful, reported: .disconnected(error), blocked: false)
            return .none
        case .connected, .disconnected, .closed:
            preconditionFailure("AMQP: connectFailed in state \(state)")
        }
    }

    /// A call saw the live connection break (or the supervisor shut a stalled socket down).
    mutating func connectionLost(_ error: AMQPError, now: ContinuousClock.Instant) -> Action {
        switch state {
        case .connected(_, _, let endpoint):
            let delay = backoff.next()
            failedInRound = 0
            state = .disconnected(error: error, retryAt: now + delay, attempt: 1, endpoint: following(endpoint))
            return .tearDown(error: error, retryAfter: delay)
        case .stopping(let graceful, _, _):
            state = .stopping(graceful: graceful, reported: .disconnected(error), blocked: false)
            return .tearDown(error: error, retryAfter: nil)
        case .connecting, .disconnected, .closed:
            preconditionFailure("AMQP: connectionLost in state \(state)")
        }
    }

    /// From any thread. A later forced stop overrides a graceful one, never the reverse.
    mutating func stopRequested(graceful: Bool) -> Action {
        switch state {
        case .connecting, .connected, .disconnected:
            state = .stopping(graceful: graceful, reported: readiness, blocked: isBlocked)
        case .stopping(let wasGraceful, let reported, let blocked):
            state = .stopping(graceful: wasGraceful && graceful, reported: reported, blocked: blocked)
        case .closed:
            break
        }
        return .none
    }

    mutating func blocked() -> Action {
        setBlocked(true)
        return .none
    }

    mutating func unblocked() -> Action {
        setBlocked(false)
        return .none
    }

    /// The I/O loop has closed everything and exits.
    mutating func shutdownFinished() -> Action {
        state = .closed
        return .none
    }

    private mutating func setBlocked(_ blocked: Bool) {
        switch state {
        case .connected(let generation, _, let endpoint):
            state = .connected(generation: generation, blocked: blocked, endpoint: endpoint)
        case .stopping(let graceful, let reported, _):
            state = .stopping(graceful: graceful, reported: reported, blocked: blocked)
        case .connecting, .disconnected, .closed:
            break
        }
    }
}
