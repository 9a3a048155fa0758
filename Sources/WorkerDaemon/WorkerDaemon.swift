public import AMQP
public import JobRuntime
public import Logging
public import Postgres
import ProcessRuntime
public import ServiceLifecycle
public import Settings
import Vocabulary

/// Assembles a worker process the same way for every worker kind: logging, metrics,
/// Postgres pool, broker connection, outbox relay, worker service (and optionally the
/// dead-letter recorder), the guard of its queue topology, /metrics /healthz /readyz, the systemd watchdog, and one
/// ServiceGroup that shuts down in dependency order within `shutdownGrace`.
public struct WorkerDaemon: Sendable {
    public struct Options: Sendable {
        public var name: String
        public var queue: Topology.WorkQueue
        public var prefetch: Int = 1
        public var retryPolicies: [String: RetryPolicy] = [:]
        public var defaultRetryPolicy = RetryPolicy()
        public var shutdownGrace: Duration = .seconds(30)
        /// Short database-only jobs sharing one transaction at most (1: each its own).
        public var inlineBatchLimit = 32
        /// Declare the queue's topology at start (tests and single-node set-ups).
        public var declareTopology = false
        /// Dead-letter queues this process records (the finalizer records all of them).
        public var recordDeadLettersOf: [Topology.WorkQueue] = []
        public var deadLetterHook: DeadLetterRecorder.Hook?

        public init(name: String, queue: Topology.WorkQueue) {
            self.name = name
            self.queue = queue
        }
    }

    public var settings: DaemonSettings
    public var options: Options

    public init(settings: DaemonSettings, options: Options) {
        self.settings = settings
        self.options = options
    }

    /// Runs until SIGTERM/SIGINT and a graceful drain. `makeHandler` gets the shared
    /// clients, so handlers can use the same pool and connection.
    public func run(
        makeHandler: (PostgresClient, AMQPConnection, Logger) throws -> any JobHandler,
        makeServices: (PostgresClient, AMQPConnection, Logger) -> [any Service] = { _, _, _ in [] }
    ) async throws {
        DaemonLifecycle.exitCleanlyOnTerminationUntilRunning()
        let logger = try LogSetup.bootstrap(level: settings.logLevel, label: options.name)
        let registry = MetricsSetup.bootstrap()
        let amqpConfiguration: AMQPConfiguration
        do {
            var configuration = try AMQPConfiguration(url: settings.amqpURL)
            configuration.connectionName = options.name
            amqpConfiguration = configuration
        } catch {
            throw SettingsError(setting: "ITP_AMQP_URL", flag: "amqp-url", reason: "\(error)")
        }
        let database = PostgresClient(conninfo: settings.databaseURL, maxConnections: options.prefetch + 4, logger: logger)
        let broker = AMQPConnection(configuration: amqpConfiguration, logger: logger)
        if options.declareTopology {
            try await broker.waitUntilConnected(timeout: .seconds(30))
            try await Topology(workQueues: [options.queue] + options.recordDeadLettersOf).declare(on: broker)
        }

        var workerConfiguration = WorkerService.Configuration(queue: options.queue)
        workerConfiguration.prefetch = UInt16(clamping: options.prefetch)
        workerConfiguration.retryPolicies = options.retryPolicies
        workerConfiguration.defaultRetryPolicy = options.defaultRetryPolicy
        workerConfiguration.inlineBatchLimit = options.inlineBatchLimit
        let worker = WorkerService(
            configuration: workerConfiguration, handler: try makeHandler(database, broker, logger),
            database: database, broker: broker, logger: logger)
        let relay = OutboxRelay(configuration: .init(listenConninfo: settings.databaseURL), database: database, broker: broker, logger: logger)
        let probe = DatabaseProbe(database: database, logger: logger)
        // A queue deleted under the consumer is declared again (and the worker is not ready until then).
        let topologyGuard = QueueTopologyGuard(queue: options.queue, broker: broker, logger: logger)

        let health = HealthChecks()
        health.addReadiness("broker", gauge: MetricName.amqpConnected) { broker.isConnected }
        health.addReadiness("database", gauge: MetricName.databaseConnected) { probe.isReachable }
        health.addReadiness("queue_topology") { topologyGuard.isReady }
        health.addLiveness("consume_loop") { worker.isAlive || !broker.isConnected }
        health.addLiveness("broker_io_loop") { broker.isLoopHealthy() }
        let server = try ObservabilityServer(address: settings.observabilityAddress, registry: registry, healthChecks: health, logger: logger)
        let notifier = SystemdNotifier()
        let watchdog = WatchdogService(notifier: notifier, healthChecks: health, logger: logger)

        // Shutdown runs in reverse: the worker stops consuming and drains first, then the
        // recorder, then the relay publishes what they wrote; /metrics and the watchdog last.
        var services: [any Service] = [server, watchdog, probe, relay, topologyGuard]
        if !options.recordDeadLettersOf.isEmpty {
            services.append(DeadLetterRecorder(
                queues: options.recordDeadLettersOf, database: database, broker: broker, logger: logger, hook: options.deadLetterHook))
        }
        services += makeServices(database, broker, logger)
        services.append(worker)
        logger.info("starting", metadata: [
            LogKey.amqpQueue: "\(options.queue.name)", LogKey.observabilityAddress: "\(server.address)",
            LogKey.amqpURL: "\(DaemonBoot.redacted(settings.amqpURL))",
        ])
        try await DaemonLifecycle(services: services, notifier: notifier, shutdownGrace: options.shutdownGrace, logger: logger).run()
        await broker.close()
        await database.shutdown()
        logger.info("stopped")
    }
}
