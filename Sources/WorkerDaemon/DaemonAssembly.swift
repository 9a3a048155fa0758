public import AMQP
public import JobRuntime
public import Logging
public import Postgres
public import ProcessRuntime
public import Prometheus
public import ServiceLifecycle
public import Settings
import Vocabulary

/// The one way a daemon process is put together, shared by `itp-intake` and every worker
/// (``WorkerDaemon``): logging, metrics, the Postgres pool, the broker connection, the
/// outbox relay and the database probe; then /metrics /healthz /readyz, the systemd
/// watchdog, and one ServiceGroup that shuts down in reverse order within a grace, after
/// which the connections are closed.
public struct DaemonAssembly: Sendable {
    public let name: String
    public let settings: DaemonSettings
    public let logger: Logger
    public let registry: PrometheusCollectorRegistry
    public let database: PostgresClient
    public let broker: AMQPConnection
    /// Publishes the outbox rows the daemon's transactions write.
    public let relay: OutboxRelay
    public let probe: DatabaseProbe
    /// The daemon adds its own readiness and liveness checks before ``run(services:shutdownGrace:metadata:)``.
    public let health = HealthChecks()

    /// Sets up logging and metrics and makes the clients (none connects yet).
    /// - Throws: ``SettingsError`` naming `ITP_AMQP_URL` when the client refuses the URL, or
    ///   the `ITP_AMQP_*_FILE` setting whose file OpenSSL cannot load (wrap the call in
    ///   ``DaemonBoot/check(_:_:)`` to exit 78).
    public init(name: String, settings: DaemonSettings, maxDatabaseConnections: Int) throws {
        let amqp = try settings.brokerConfiguration(name: name)
        self.name = name
        self.settings = settings
        logger = try LogSetup.bootstrap(level: settings.logLevel, label: name)
        registry = MetricsSetup.bootstrap()
        database = PostgresClient(conninfo: settings.databaseURL, maxConnections: maxDatabaseConnections, logger: logger)
        broker = AMQPConnection(configuration: amqp, logger: logger)
        relay = OutboxRelay(configuration: .init(listenConninfo: settings.databaseURL), database: database, broker: broker, logger: logger)
        probe = DatabaseProbe(database: database, logger: logger)
    }

    /// Runs until SIGTERM/SIGINT and a graceful drain: the observability server, the
    /// watchdog, the probe and the relay, then `services` (listed in dependency order: the
    /// last stops first, so the relay still publishes what they wrote). Logs `starting`
    /// with `metadata`, the observability address and the redacted broker URL.
    public func run(services: [any Service], shutdownGrace: Duration, metadata: Logger.Metadata) async throws {
        let server = try ObservabilityServer(address: settings.observabilityAddress, registry: registry, healthChecks: health, logger: logger)
        let notifier = SystemdNotifier()
        let watchdog = WatchdogService(notifier: notifier, healthChecks: health, logger: logger)
        var started = metadata
        started[LogKey.observabilityAddress] = "\(server.address)"
        started[LogKey.amqpURL] = "\(DaemonBoot.redacted(settings.amqpURL))"
        logger.info("starting", metadata: started)
        let all: [any Service] = [server, watchdog, probe, relay] + services
        try await DaemonLifecycle(services: all, notifier: notifier, shutdownGrace: shutdownGrace, logger: logger).run()
        await broker.close()
        await database.shutdown()
        logger.info("stopped")
    }
}
