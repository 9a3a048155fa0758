import AMQP
import ArgumentParser
import JobRuntime
import Logging
import Postgres
import ServiceLifecycle
import Settings

/// A worker daemon for the `canary` job kind: the job runtime end to end with no image
/// work. Tests spawn it to kill and signal real processes; operators run it to probe a
/// deployment; benchmarks measure the runtime's own overhead with it.
@main
struct CanaryWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-canary-worker",
        abstract: "ITP canary worker: runs `canary` jobs (no image work) through the full job runtime — claim, commit, outbox, retries, dead letters.",
        discussion: DaemonSettings.helpSection())

    @OptionGroup var options: DaemonOptions

    @Option(help: "The work queue to consume (its delay and dead-letter queues are derived from it).")
    var queue = "canary"

    @Option(help: "Jobs in flight at most (AMQP prefetch).")
    var prefetch = 4

    @Option(help: "Broker delivery limit of the queue, used with --declare.")
    var deliveryLimit = 10

    @Option(help: "Attempts before a transiently failing job is dead-lettered.")
    var maxAttempts = 5

    @Option(help: "First retry delay in milliseconds (doubles each attempt, with jitter).")
    var retryInitialDelayMs = 1000

    @Option(help: "Seconds to finish in-flight jobs after SIGTERM before giving up on them.")
    var shutdownGrace = 30

    @Flag(help: "Declare the queue's topology (queue, delay queues, dead-letter queue) before consuming.")
    var declare = false

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-canary-worker")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "itp-canary-worker")
        let amqpConfiguration = try DaemonBoot.check("itp-canary-worker") {
            do { return try AMQPConfiguration(url: settings.amqpURL) } catch {
                throw SettingsError(setting: "ITP_AMQP_URL", flag: "amqp-url", reason: "\(error)")
            }
        }
        let workQueue = Topology.WorkQueue(
            name: queue, deliveryLimit: deliveryLimit, exchange: Topology.jobsExchange, bindingKeys: [queue])
        let database = PostgresClient(conninfo: settings.databaseURL, maxConnections: prefetch + 3, logger: logger)
        let broker = AMQPConnection(configuration: amqpConfiguration, logger: logger)
        if declare {
            try await broker.waitUntilConnected(timeout: .seconds(30))
            try await Topology(workQueues: [workQueue]).declare(on: broker)
        }

        var workerConfiguration = WorkerService.Configuration(queue: workQueue)
        workerConfiguration.prefetch = UInt16(clamping: prefetch)
        workerConfiguration.defaultRetryPolicy = RetryPolicy(
            maxAttempts: maxAttempts, initialDelay: .milliseconds(retryInitialDelayMs), maxDelay: .seconds(600))
        let worker = WorkerService(configuration: workerConfiguration, handler: CanaryHandler(), database: database, broker: broker, logger: logger)
        let relay = OutboxRelay(
            configuration: .init(listenConninfo: settings.databaseURL), database: database, broker: broker, logger: logger)
        let recorder = DeadLetterRecorder(queues: [workQueue], database: database, broker: broker, logger: logger)

        // Shutdown runs in reverse order: the worker stops consuming and finishes first,
        // then the recorder, then the relay publishes what they wrote.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [relay, recorder, worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(shutdownGrace)
        try await ServiceGroup(configuration: groupConfiguration).run()
        await broker.close()
        await database.shutdown()
        logger.info("stopped")
    }
}
