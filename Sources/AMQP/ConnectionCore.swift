import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What an operation hands back to its awaiting caller.
enum OperationReply: Sendable {
    case none
    case queue(name: String, messageCount: UInt32, consumerCount: UInt32)
    case count(UInt32)
    case published([Result<Void, AMQPError>])
}

/// Work for the I/O thread. Runs only there.
struct Command: Sendable {
    /// Commands that must reach the broker wait while disconnected (bounded by their
    /// deadline); the others (acks, consumer bookkeeping) run at once and decide themselves.
    var waitsForConnection: Bool
    var run: @Sendable (IOLoop) -> Void
}

/// The state shared between callers, the I/O thread and the supervisor thread: the
/// command queue, awaiting callers with their deadlines, and the connection's
/// ``ConnectionStateMachine`` (fed through ``handle(_:)``). Every field is behind one
/// mutex; continuations are resumed outside it.
final class ConnectionCore: Sendable {
    struct Pending {
        var deadline: ContinuousClock.Instant
        var timeoutError: AMQPError
        var continuation: CheckedContinuation<OperationReply, any Error>
        /// For publishes: one slot per message, settled one by one.
        var publishResults: [Result<Void, AMQPError>?]?
        var waitsForConnect = false
    }

    struct State {
        var commands: [Command] = []
        var pending: [UInt64: Pending] = [:]
        var nextID: UInt64 = 1
        /// Readiness, blocked publishing, stop requests and the reconnect backoff.
        var machine: ConnectionStateMachine
        var lastLoop = ContinuousClock.now
        var socket: Int32 = -1
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let state: Mutex<State>
    /// A non-blocking pipe: the I/O thread polls the read end beside its socket.
    let wakeFD: Int32
    private let wakeWriteFD: Int32
    let configuration: AMQPConfiguration

    init(configuration: AMQPConfiguration) {
        self.configuration = configuration
        self.state = Mutex(
            State(
                machine: ConnectionStateMachine(
                    backoff: Backoff(initial: configuration.reconnectInitialDelay, maximum: configuration.reconnectMaxDelay),
                    endpoints: configuration.endpoints)))
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { fatalError("AMQP: cannot create the wake pipe (errno \(errno))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        self.wakeFD = fds[0]
        self.wakeWriteFD = fds[1]
    }

    deinit {
        close(wakeFD)
        close(wakeWriteFD)
    }

    func wake() {
        var one: UInt8 = 1
        _ = write(wakeWriteFD, &one, 1)
    }

    func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeFD, &buffer, buffer.count) > 0 {}
    }

    // MARK: Submitting work

    /// Registers an awaiting caller with a deadline and queues `body` for the I/O thread,
    /// which receives the operation id to complete.
    func perform(
        timeout: Duration, timeoutError: AMQPError, publishCount: Int? = nil, waitsForConnection: Bool = true,
        _ body: @escaping @Sendable (IOLoop, UInt64) -> Void
    ) async throws -> OperationReply {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let refused: Bool = state.withLock { state in
                    if !state.machine.acceptsWork { return true }
                    state.pending[id] = Pending(
                        deadline: .now + timeout, timeoutError: timeoutError, continuation: continuation,
                        publishResults: publishCount.map { Array(repeating: nil, count: $0) })
                    state.commands.append(Command(waitsForConnection: waitsForConnection) { loop in body(loop, id) })
                    return false
                }
                if refused {
                    continuation.resume(throwing: AMQPError(.closed, detail: "the connection is closed"))
                } else {
                    wake()
                }
            }
        } onCancel: {
            self.complete(id, .failure(AMQPError(.cancelled, detail: "the calling task was cancelled")))
        }
    }

    /// Queues a command nobody awaits.
    func submit(waitsForConnection: Bool, _ run: @escaping @Sendable (IOLoop) -> Void) {
        state.withLock { $0.commands.append(Command(waitsForConnection: waitsForConnection, run: run)) }
        wake()
    }

    /// Takes the commands that may run now.
    func takeCommands(connected: Bool) -> [Command] {
        state.withLock { state in
            if connected {
                defer { state.commands.removeAll() }
                return state.commands
            }
            let runnable = state.commands.filter { !$0.waitsForConnection }
            state.commands.removeAll { !$0.waitsForConnection }
            return runnable
        }
    }

    // MARK: Completing work

    func isPending(_ id: UInt64) -> Bool {
        state.withLock { $0.pending[id] != nil }
    }

    func complete(_ id: UInt64, _ result: Result<OperationReply, AMQPError>) {
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
        pending.continuation.resume(with: result.mapError { $0 })
    }

    /// Settles one message of a publish operation; the caller resumes when all are settled.
    func settlePublish(_ id: UInt64, index: Int, _ result: Result<Void, AMQPError>) {
        let finished: (Pending, [Result<Void, AMQPError>])? = state.withLock { state in
            guard var pending = state.pending[id], var results = pending.publishResults,
                results.indices.contains(index), results[index] == nil
            else { return nil }
            results[index] = result
            let settled = results.compactMap { $0 }
            guard settled.count == results.count else {
                pending.publishResults = results
                state.pending[id] = pending
                return nil
            }
            state.pending[id] = nil
            return (pending, settled)
        }
        if let (pending, results) = finished {
            pending.continuation.resume(returning: .published(results))
        }
    }

    /// Resumes every caller whose deadline has passed. Runs on the supervisor thread, so
    /// deadlines fire even when the I/O thread is stuck in a blocking write.
    func expireDeadlines(now: ContinuousClock.Instant) {
        let expired: [Pending] = state.withLock { state in
            let ids = state.pending.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { state.pending.removeValue(forKey: $0) }
        }
        for pending in expired { Self.resume(pending, with: pending.timeoutError) }
    }

    private static func resume(_ pending: Pending, with error: AMQPError) {
        if let results = pending.publishResults {
            pending.continuation.resume(returning: .published(results.map { $0 ?? .failure(error) }))
        } else {
            pending.continuation.resume(throwing: error)
        }
    }

    // MARK: Connection state

    /// What `waitUntilConnected` does at once: return, throw, or wait for a login.
    private enum ConnectWait {
        case connected
        case failed(AMQPError)
        case waiting
    }

    func waitUntilConnected(timeout: Duration) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        _ = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<OperationReply, any Error>) in
            let immediate: ConnectWait = state.withLock { state in
                switch state.machine.readiness {
                case .connected: return .connected
                case .closed: return .failed(AMQPError(.closed, detail: "the connection is closed"))
                case .disconnected(let error) where error.code == .authenticationFailed || error.code == .tlsFailed: return .failed(error)
                default: break
                }
                var pending = Pending(
                    deadline: .now + timeout, timeoutError: AMQPError(.connectTimeout, detail: "not connected in time"),
                    continuation: continuation)
                pending.waitsForConnect = true
                state.pending[id] = pending
                return .waiting
            }
            switch immediate {
            case .connected: continuation.resume(returning: .none)
            case .failed(let error): continuation.resume(throwing: error)
            case .waiting: break
            }
        }
    }

    /// Feeds one event to the state machine (under the lock) and returns its action. When
    /// readiness may have changed, `waitUntilConnected` callers are resumed or told the
    /// last error.
    @discardableResult
    func handle(_ event: (inout ConnectionStateMachine) -> ConnectionStateMachine.Action) -> ConnectionStateMachine.Action {
        let (action, waiters, readiness): (ConnectionStateMachine.Action, [Pending], ConnectionState) = state.withLock { state in
            let before = state.machine.readiness
            let action = event(&state.machine)
            let readiness = state.machine.readiness
            guard readiness != before || Self.reportsFailure(action) else { return (action, [], readiness) }
            return (action, Self.connectWaitersToResume(&state, readiness: readiness), readiness)
        }
        for waiter in waiters {
            if case .disconnected(let error) = readiness {
                waiter.continuation.resume(throwing: error)
            } else {
                waiter.continuation.resume(returning: .none)
            }
        }
        return action
    }

    private static func reportsFailure(_ action: ConnectionStateMachine.Action) -> Bool {
        switch action {
        case .scheduleRetry, .tearDown: true
        default: false
        }
    }

    /// Connected: every connect waiter resumes. Disconnected: their timeout error names the
    /// last error, and an authentication or certificate failure fails them at once.
    private static func connectWaitersToResume(_ state: inout State, readiness: ConnectionState) -> [Pending] {
        switch readiness {
        case .connected:
            break
        case .disconnected(let error):
            for index in state.pending.indices where state.pending.values[index].waitsForConnect {
                state.pending.values[index].timeoutError = AMQPError(
                    .connectTimeout, replyCode: error.replyCode, detail: "not connected in time; last error: \(error.debugDescription)")
            }
            guard error.code == .authenticationFailed || error.code == .tlsFailed else { return [] }
        case .connecting, .closed:
            return []
        }
        let ids = state.pending.filter { $0.value.waitsForConnect }.map(\.key)
        return ids.compactMap { state.pending.removeValue(forKey: $0) }
    }

    /// The socket the supervisor may shut down when the loop stalls. Set to -1 (under the
    /// lock) before the library closes it, so a reused descriptor is never touched.
    func setSocket(_ socket: Int32) {
        state.withLock { $0.socket = socket }
    }

    /// Marks one loop iteration (the watchdog's and the stall detector's evidence of life).
    func touch() {
        state.withLock { $0.lastLoop = .now }
    }

    /// Shuts the socket down when the loop has not iterated for `stallTimeout`: a write
    /// blocked by a resource alarm or a stalled broker then fails, and the loop reconnects.
    func shutdownSocketIfStalled(now: ContinuousClock.Instant, stallTimeout: Duration) -> Bool {
        state.withLock { state in
            guard state.socket >= 0, now - state.lastLoop > stallTimeout else { return false }
            _ = shutdown(state.socket, Int32(SHUT_RDWR))
            state.socket = -1
            return true
        }
    }

    /// Test hook: breaks the socket as a network failure would.
    func shutdownSocket() {
        state.withLock { state in
            guard state.socket >= 0 else { return }
            _ = shutdown(state.socket, Int32(SHUT_RDWR))
        }
    }

    // MARK: Stopping

    func requestStop(graceful: Bool) {
        handle { $0.stopRequested(graceful: graceful) }
        wake()
    }

    var isClosed: Bool { state.withLock { $0.machine.isClosed } }

    func waitForExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done: Bool = state.withLock { state in
                if state.machine.isClosed { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// The I/O thread's last act: fail everything still waiting and release close().
    func didExit() {
        let (pending, waiters): ([Pending], [CheckedContinuation<Void, Never>]) = state.withLock { state in
            _ = state.machine.shutdownFinished()
            state.socket = -1
            state.commands.removeAll()
            defer {
                state.pending.removeAll()
                state.exitWaiters.removeAll()
            }
            return (Array(state.pending.values), state.exitWaiters)
        }
        let closed = AMQPError(.closed, detail: "the connection is closed")
        for entry in pending { Self.resume(entry, with: closed) }
        for waiter in waiters { waiter.resume() }
    }
}
