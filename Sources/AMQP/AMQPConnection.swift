public import Logging
import Vocabulary

/// A handle to one AMQP connection that keeps itself alive.
///
/// One dedicated thread owns the librabbitmq connection for its whole life: it services
/// heartbeats, confirms, returns, deliveries, cancel and blocked notifications while jobs
/// run elsewhere, and reconnects with jittered backoff when the connection is lost
/// (re-opening channels, confirm mode and every consumer). Calls from any task are queued
/// to that thread; every call has its own deadline, enforced outside the I/O thread.
public final class AMQPConnection: Sendable {
    let core: ConnectionCore
    /// The settings this connection was made with.
    public let configuration: AMQPConfiguration

    /// Starts the I/O thread, which connects (and keeps reconnecting) in the background.
    /// Calls made before the first connection wait for it, bounded by their deadlines.
    public init(configuration: AMQPConfiguration, logger: Logger) {
        var logger = logger
        logger[metadataKey: LogKey.amqpConnection] = "\(configuration.connectionName)"
        self.configuration = configuration
        self.core = ConnectionCore(configuration: configuration)
        IOLoop.start(core: core, logger: logger)
        Supervisor.start(core: core, logger: logger)
    }

    /// Connects and waits until logged in (up to the connect timeout), or throws the
    /// reason it could not connect.
    public static func connect(configuration: AMQPConfiguration, logger: Logger) async throws -> AMQPConnection {
        let connection = AMQPConnection(configuration: configuration, logger: logger)
        do {
            try await connection.waitUntilConnected(timeout: configuration.connectTimeout)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    deinit {
        // The threads hold only the core; they exit within one poll interval.
        core.requestStop(graceful: false)
    }

    /// Where the connection is in its life.
    public var state: ConnectionState { core.state.withLock { $0.machine.readiness } }

    /// For readiness: logged in right now.
    public var isConnected: Bool { state == .connected }

    /// The broker has blocked publishing (a resource alarm); publishes fail fast with
    /// `.connectionBlocked` until it unblocks.
    public var isBlocked: Bool { core.state.withLock { $0.machine.isBlocked } }

    /// The broker node the connection is logged in to right now (nil while it is not).
    public var connectedEndpoint: AMQPEndpoint? { core.state.withLock { $0.machine.connectedEndpoint } }

    /// Counts successful logins: 1 after the first, +1 per reconnect.
    public var generation: UInt64 { core.state.withLock { $0.machine.generation } }

    /// When the I/O loop last completed an iteration (at least every ~200 ms when healthy).
    public var lastLoopActivity: ContinuousClock.Instant { core.state.withLock { $0.lastLoop } }

    /// For the watchdog: the I/O loop iterated recently (it is not stuck in a call), true
    /// also while it waits to reconnect.
    public func isLoopHealthy(within limit: Duration = .seconds(5)) -> Bool {
        core.state.withLock { !$0.machine.isClosed && ContinuousClock.now - $0.lastLoop < limit }
    }

    /// Waits until the connection is logged in. Throws `.connectTimeout` (with the last
    /// error in its detail), `.authenticationFailed` or `.closed`.
    public func waitUntilConnected(timeout: Duration) async throws {
        try await core.waitUntilConnected(timeout: timeout)
    }

    /// Graceful close: cancels consumers, keeps servicing acks and frames for
    /// `shutdownGrace`, closes the connection and waits for the I/O thread to finish.
    /// Pending calls fail with `.closed`; consumer streams end.
    public func close() async {
        core.requestStop(graceful: true)
        await core.waitForExit()
    }

    /// Test hook: shuts the socket down as a network failure would.
    public func simulateConnectionLoss() {
        core.shutdownSocket()
    }
}
