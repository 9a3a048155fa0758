import AMQP
import ArgumentParser
import Intake
import JobRuntime
import Logging
import Mockups
import Postgres
import ProcessRuntime
import ServiceLifecycle
import Settings
import Storage
import WorkerDaemon
import Vocabulary

/// `itp-intake`: the HTTP API (DESIGN.md §2, §7). One ServiceGroup: /metrics /healthz
/// /readyz, the watchdog, the database probe, the outbox relay (the API writes outbox
/// rows), and the HTTP application; shutdown runs in reverse, so the API stops taking
/// requests first and the relay publishes what they wrote.
@main
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-intake",
        abstract: "ITP intake: the versioned HTTP API (/v1/products …) that creates products, reserves credits and enqueues design jobs through the outbox.",
        discussion: DaemonSettings.helpSection(IntakeOptions.settings))

    @OptionGroup var options: DaemonOptions
    @OptionGroup var intake: IntakeOptions

    @Option(help: "Seconds to finish in-flight requests and publish their outbox rows after SIGTERM; keep it below the unit's TimeoutStopSec.")
    var shutdownGrace = 20

    func run() async throws {
        DaemonLifecycle.exitCleanlyOnTerminationUntilRunning()
        let name = "itp-intake"
        let settings = try DaemonBoot.settings(options, daemon: name)
        let resolved = try DaemonBoot.check(name) { try intake.resolve(settings.source) }
        let catalog = try DaemonBoot.check(name) {
            do {
                return try TemplateCatalog(directory: resolved.templatesDirectory)
            } catch {
                throw IntakeOptions.templatesDirectory.error("cannot load the template catalogue: \(error)")
            }
        }
        let amqp = try DaemonBoot.check(name) {
            do {
                var configuration = try AMQPConfiguration(url: settings.amqpURL)
                configuration.connectionName = name
                return configuration
            } catch {
                throw Setting.amqpURL.error("\(error)")
            }
        }

        let logger = try LogSetup.bootstrap(level: settings.logLevel, label: name)
        let registry = MetricsSetup.bootstrap()
        let database = PostgresClient(conninfo: settings.databaseURL, maxConnections: 16, logger: logger)
        let broker = AMQPConnection(configuration: amqp, logger: logger)
        let relay = OutboxRelay(configuration: .init(listenConninfo: settings.databaseURL), database: database, broker: broker, logger: logger)
        let probe = DatabaseProbe(database: database, logger: logger)

        var configuration = IntakeConfiguration(
            address: resolved.address, database: database, listenConninfo: settings.databaseURL,
            storage: StorageFactory.make(settings.storage), catalog: catalog, logger: logger)
        configuration.rateLimit = resolved.rateLimit
        configuration.maxCandidates = resolved.maxCandidates
        configuration.prices = resolved.prices
        configuration.httpMetrics = HTTPMetrics(registry: registry)
        let app = try buildApplication(configuration: configuration)

        let health = HealthChecks()
        // Ready means "can accept products": that needs the database only. A broker
        // outage delays publishing (the outbox holds the jobs), it does not refuse work.
        health.addReadiness("database", gauge: MetricName.databaseConnected) { probe.isReachable }
        health.addGauge(MetricName.amqpConnected) { broker.isConnected }
        health.addLiveness("broker_io_loop") { broker.isLoopHealthy() }
        let observability = try ObservabilityServer(
            address: settings.observabilityAddress, registry: registry, healthChecks: health, logger: logger)
        let notifier = SystemdNotifier()
        let watchdog = WatchdogService(notifier: notifier, healthChecks: health, logger: logger)

        logger.info("starting", metadata: [
            LogKey.httpAddress: "\(resolved.address)", LogKey.observabilityAddress: "\(observability.address)",
            LogKey.amqpURL: "\(DaemonBoot.redacted(settings.amqpURL))",
        ])
        let services: [any Service] = [observability, watchdog, probe, relay, app]
        try await DaemonLifecycle(services: services, notifier: notifier, shutdownGrace: .seconds(shutdownGrace), logger: logger).run()
        await broker.close()
        await database.shutdown()
        logger.info("stopped")
    }
}
