public import AMQP
public import JobRuntime
public import Logging
public import Postgres
import ProcessRuntime
public import ServiceLifecycle
public import Settings
import Vocabulary

/// A worker process, the same for every worker kind: the ``DaemonAssembly`` (logging,
/// metrics, clients, outbox relay, /metrics /healthz /readyz, watchdog, one ServiceGroup)
/// plus the worker service (and optionally the dead-letter recorder) and the guard of its
/// queue topology.
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
        /// The hook run in each dead letter's transaction, made once with the daemon's logger.
        public var deadLetterHook: (@Sendable (Logger) -> DeadLetterRecorder.Hook)?

        public init(name: String, queue: Topology.WorkQueue) {
            self.name = name
            self.queue = queue
        }

        /// The options every worker command resolves from its settings.
        public init(name: String, queue: Topology.WorkQueue, prefetch: Int, shutdownGrace: Duration, declareTopology: Bool = false) {
            self.init(name: name, queue: queue)
            self.prefetch = prefetch
            self.shutdownGrace = shutdownGrace
            self.declareTopology = declareTopology
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
        let daemon = try DaemonBoot.check(options.name) {
            try DaemonAssembly(name: options.name, settings: settings, maxDatabaseConnections: options.prefetch + 4)
        }
        let (logger, database, broker) = (daemon.logger, daemon.database, daemon.broker)
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
        let probe = daemon.probe
        // A queue deleted under the consumer is declared again (and the worker is not ready until then).
        let topologyGuard = QueueTopologyGuard(queue: options.queue, broker: broker, logger: logger)

        daemon.health.addReadiness("broker", gauge: MetricName.amqpConnected) { broker.isConnected }
        daemon.health.addReadiness("database", gauge: MetricName.databaseConnected) { probe.isReachable }
        daemon.health.addReadiness("queue_topology") { topologyGuard.isReady }
        daemon.health.addLiveness("consume_loop") { worker.isAlive || !broker.isConnected }
        daemon.health.addLiveness("broker_io_loop") { broker.isLoopHealthy() }

        // Shutdown runs in reverse: the worker stops consuming and drains first, then the
        // recorder, then the relay publishes what they wrote; /metrics and the watchdog last.
        var services: [any Service] = [topologyGuard]
        if !options.recordDeadLettersOf.isEmpty {
            services.append(DeadLetterRecorder(
                queues: options.recordDeadLettersOf, database: database, broker: broker, logger: logger,
                hook: options.deadLetterHook?(logger)))
        }
        services += makeServices(database, broker, logger)
        services.append(worker)
        try await daemon.run(services: services, shutdownGrace: options.shutdownGrace, metadata: [LogKey.amqpQueue: "\(options.queue.name)"])
    }
}
