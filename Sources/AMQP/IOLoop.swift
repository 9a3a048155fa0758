internal import CRabbitMQ
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif
import Vocabulary

/// Owns one `amqp_connection_state_t` for the whole life of its thread (librabbitmq is
/// not thread-safe, and heartbeats are serviced only inside library calls). Everything
/// else reaches it through ``ConnectionCore``'s command queue and wake descriptor.
final class IOLoop {
    static let publishChannel: amqp_channel_t = 1
    static let maxFramesPerStep = 512

    let core: ConnectionCore
    let configuration: AMQPConfiguration
    let logger: Logger
    var connection: amqp_connection_state_t?
    var generation: UInt64 = 0
    /// Set by any call that saw the connection break; the loop tears down after the step.
    var broken: AMQPError?
    /// Open channels and their epoch (a channel can be reopened within one generation).
    var openChannels: [amqp_channel_t: UInt64] = [:]
    var nextEpoch: UInt64 = 1
    var confirms = ConfirmTracker<PublishToken>()
    var consumers = ConsumerTable()
    var nextChannel: amqp_channel_t = 3
    /// Where topology methods go; replaced when an answer is abandoned (``abandonStuckRPC``).
    var rpcChannel: amqp_channel_t = 2
    var rpcBacklog: [(operation: UInt64, request: RPCRequest)] = []
    var rpcInFlight: InFlightRPC?
    /// When channel.open was sent for ``rpcChannel``, until its open-ok arrives.
    var rpcChannelOpenSentAt: ContinuousClock.Instant?
    /// Set when the loop has shut down; the thread then ends.
    private var finished = false

    private init(core: ConnectionCore, logger: Logger) {
        self.core = core
        self.configuration = core.configuration
        self.logger = logger
    }

    static func start(core: ConnectionCore, logger: Logger) {
        let thread = Thread { IOLoop(core: core, logger: logger).run() }
        thread.name = "amqp-io"
        thread.start()
    }

    /// The connection, unless a call has seen it break.
    var live: amqp_connection_state_t? { broken == nil ? connection : nil }

    /// Each iteration asks the state machine what to do and performs it; the actions that
    /// follow from connecting, losing the connection and stopping are performed the same way.
    private func run() {
        while !finished {
            core.touch()
            perform(core.handle { $0.tick(now: .now) })
        }
    }

    private func perform(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .openSocket(let endpoint):
            runCommands()
            connect(endpoint)
        case .waitForRetry(let deadline):
            runCommands()
            waitForWake(until: deadline)
        case .serviceConnection:
            step(pollTimeout: .milliseconds(100))
        case .redeclareAndResubscribe(let generation):
            connected(generation: generation)
        case .scheduleRetry(let delay, let error, let next):
            logRetry(error, delay, next: next)
        case .tearDown(let error, let retryAfter):
            teardown(error)
            if let retryAfter { logRetry(error, retryAfter, next: nil) }
        case .shutDown(let graceful):
            shutDown(graceful: graceful)
            finished = true
        }
    }

    /// One iteration while connected: commands, due re-subscriptions, then every frame
    /// available. Reading frames also sends due heartbeats and detects a silent broker,
    /// so this runs at least every 100 ms even when idle.
    func step(pollTimeout: Duration) {
        runCommands()
        if broken == nil { resubscribeDueConsumers() }
        if broken == nil { sendNextRPC() }
        if broken == nil {
            waitForInput(pollTimeout)
            readFrames()
        }
        if broken == nil {
            abandonStuckRPC(now: .now)
            sendNextRPC()
        }
        finishCancelledConsumers()
        if let error = broken {
            perform(core.handle { $0.connectionLost(error, now: .now) })
            return
        }
        if let connection { amqp_maybe_release_buffers(connection) }
    }

    private func runCommands() {
        for command in core.takeCommands(connected: live != nil) {
            command.run(self)
        }
    }

    private func waitForInput(_ timeout: Duration) {
        guard let connection else { return }
        if amqp_data_in_buffer(connection) != 0 || amqp_frames_enqueued(connection) != 0 { return }
        var fds = [
            pollfd(fd: amqp_get_sockfd(connection), events: Int16(POLLIN), revents: 0),
            pollfd(fd: core.wakeFD, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&fds, 2, Int32(timeout.milliseconds))
        if fds[1].revents != 0 { core.drainWake() }
    }

    private func waitForWake(until deadline: ContinuousClock.Instant) {
        let remaining = min(deadline - .now, .milliseconds(200))
        var fds = [pollfd(fd: core.wakeFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, Int32(max(remaining.milliseconds, 0)))
        if fds[0].revents != 0 { core.drainWake() }
    }

    func readFrames() {
        var frame = amqp_frame_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        for _ in 0..<Self.maxFramesPerStep {
            guard let connection = live else { return }
            let status = amqp_simple_wait_frame_noblock(connection, &frame, &zero)
            if status == AMQP_STATUS_TIMEOUT.rawValue { return }
            guard status == AMQP_STATUS_OK.rawValue else {
                broken = Self.statusError(status, "reading frames")
                return
            }
            handle(frame)
        }
    }

    // MARK: Connecting

    private func connect(_ endpoint: AMQPEndpoint) {
        guard let state = amqp_new_connection() else {
            let error = AMQPError(.connectionLost, detail: "amqp_new_connection failed")
            perform(core.handle { $0.connectFailed(error, now: .now) })
            return
        }
        if let error = open(state, endpoint) {
            core.setSocket(-1)
            amqp_destroy_connection(state)
            perform(core.handle { $0.connectFailed(error, now: .now) })
            return
        }
        connection = state
        broken = nil
        perform(core.handle { $0.connectSucceeded() })
    }

    /// Logged in: the publish channel opens; consumers subscribe in the next steps.
    private func connected(generation: UInt64) {
        self.generation = generation
        let endpoint = core.state.withLock { $0.machine.connectedEndpoint }
        logger.info(
            "AMQP connected",
            metadata: [LogKey.amqpGeneration: "\(generation)", LogKey.amqpEndpoint: "\(endpoint.map { "\($0)" } ?? "")"])
        do {
            try ensureChannel(Self.publishChannel)
        } catch {
            logger.warning("AMQP publish channel not opened", metadata: [LogKey.amqpError: .error(error)])
        }
        consumers.connectionOpened()
        if let error = broken { perform(core.handle { $0.connectionLost(error, now: .now) }) }
    }

    private func open(_ state: amqp_connection_state_t, _ endpoint: AMQPEndpoint) -> AMQPError? {
        let socket: OpaquePointer
        switch makeSocket(state, endpoint) {
        case .success(let made): socket = made
        case .failure(let error): return error
        }
        let arena = CArena()
        var connectTimeout = timeval(configuration.connectTimeout)
        let status = amqp_socket_open_noblock(socket, arena.cString(endpoint.host), Int32(endpoint.port), &connectTimeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            return Self.openError(status, endpoint, tls: configuration.tls)
        }
        core.setSocket(amqp_get_sockfd(state))
        _ = amqp_set_handshake_timeout(state, &connectTimeout)
        // The few methods still sent as blocking RPCs (channel.open, confirm.select,
        // basic.qos, basic.cancel) block the loop; bound them well below the stall timeout.
        var rpcTimeout = timeval(min(configuration.operationTimeout, configuration.stallTimeout / 2))
        _ = amqp_set_rpc_timeout(state, &rpcTimeout)

        var properties = arena.table(clientProperties)
        let reply = itp_amqp_login_plain(
            state, arena.cString(configuration.virtualHost), 0, 131_072,
            Int32(configuration.heartbeat.components.seconds), &properties,
            arena.cString(configuration.username), arena.cString(configuration.password))
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return nil
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == ITP_CONNECTION_CLOSE:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return Self.connectionCloseError(close, "login")
        default:
            return Self.statusError(reply.library_error, "login")
        }
    }

    /// Capabilities must be asked for, or the broker never reports cancelled consumers,
    /// blocked publishing or nacks (FIELD-NOTES pitfall 4).
    private var clientProperties: AMQPTable {
        [
            "connection_name": .string(configuration.connectionName),
            "product": "itp-fleet AMQP",
            "platform": "Swift / librabbitmq",
            "capabilities": .table([
                "publisher_confirms": true,
                "consumer_cancel_notify": true,
                "connection.blocked": true,
                "basic.nack": true,
                "authentication_failure_close": true,
                "exchange_exchange_bindings": true,
            ]),
        ]
    }

    private func logRetry(_ error: AMQPError, _ delay: Duration, next: AMQPEndpoint?) {
        var metadata: Logger.Metadata = [LogKey.amqpError: .error(error), LogKey.amqpRetryIn: "\(delay)"]
        if let next { metadata[LogKey.amqpEndpoint] = "\(next)" }
        logger.warning("AMQP not connected; retrying", metadata: metadata)
    }

    /// Drops the connection state without a close handshake: unconfirmed publishes fail
    /// with the error (callers republish), consumers re-subscribe after the reconnect.
    private func teardown(_ error: AMQPError) {
        core.setSocket(-1)
        if let connection { amqp_destroy_connection(connection) }
        connection = nil
        broken = nil
        openChannels.removeAll()
        settle(confirms.failAll(error))
        failRPCInFlight(error)
        rpcChannelOpenSentAt = nil
        failPendingSubscriptions(error)
        consumers.connectionLost()
    }

    // MARK: Stopping

    /// Graceful: cancel consumers, keep servicing frames and acks for the grace period
    /// (quorum queues can lose acks sent right before a close, pitfall 7), then close.
    private func shutDown(graceful: Bool) {
        if graceful, live != nil {
            for tag in consumers.tags { cancelConsumer(tag, operation: nil) }
            let end = ContinuousClock.now + configuration.shutdownGrace
            while live != nil, ContinuousClock.now < end {
                core.touch()
                runCommands()
                waitForInput(.milliseconds(20))
                readFrames()
                finishCancelledConsumers()
            }
            if let connection = live {
                _ = amqp_connection_close(connection, AMQP_REPLY_SUCCESS)
            }
        }
        core.setSocket(-1)
        if let connection { amqp_destroy_connection(connection) }
        connection = nil
        settle(confirms.failAll(AMQPError(.closed, detail: "the connection is closed")))
        for record in consumers.removeAll() { record.continuation.finish() }
        logger.info("AMQP connection closed")
        core.didExit()
    }

    // MARK: Helpers

    static func statusError(_ status: Int32, _ what: String) -> AMQPError {
        AMQPError(.connectionLost, detail: "\(what): \(String(cString: amqp_error_string2(status)))")
    }

    static func connectionCloseError(_ close: amqp_connection_close_t, _ what: String) -> AMQPError {
        let code: AMQPError.Code = [403, 530].contains(close.reply_code) ? .authenticationFailed : .connectionLost
        return AMQPError(code, replyCode: close.reply_code, detail: "\(what): broker closed the connection: \(String(close.reply_text))")
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
