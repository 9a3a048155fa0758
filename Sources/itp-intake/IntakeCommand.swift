import ArgumentParser
import AssetImages
import Foundation
import Intake
import Mockups
import ProcessRuntime
import Settings
import Storage
import Vocabulary
import WorkerDaemon

/// `itp-intake`: the HTTP API (DESIGN.md §2, §7), assembled like every worker
/// (``DaemonAssembly``): /metrics /healthz /readyz, the watchdog, the database probe, the
/// outbox relay (the API writes outbox rows), and the HTTP application last; shutdown runs
/// in reverse, so the API stops taking requests first and the relay publishes what they wrote.
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
        let (settings, resolved) = try DaemonBoot.settings(options, daemon: name, own: intake.resolve)
        let catalog = try DaemonBoot.check(name) {
            do {
                return try TemplateCatalog(directory: resolved.templatesDirectory)
            } catch {
                throw IntakeOptions.templatesDirectory.error("cannot load the template catalogue: \(error)")
            }
        }
        let daemon = try DaemonBoot.check(name) { try DaemonAssembly(name: name, settings: settings, maxDatabaseConnections: 16) }
        let (probe, broker) = (daemon.probe, daemon.broker)

        var configuration = IntakeConfiguration(
            address: resolved.address, database: daemon.database, listenConninfo: settings.databaseURL,
            storage: StorageFactory.make(settings.storage), catalog: catalog, logger: daemon.logger)
        configuration.rateLimit = resolved.rateLimit
        configuration.maxCandidates = resolved.maxCandidates
        configuration.prices = resolved.prices
        configuration.httpMetrics = HTTPMetrics(registry: daemon.registry)
        configuration.imageURLs = resolved.imageURLs.signer
        configuration.webhookDestinations = resolved.webhookDestinations
        if resolved.imageURLs.ephemeral {
            daemon.logger.warning("no image URL secret is set: signed image URLs work only on this process until it restarts", metadata: [
                LogKey.setting: "\(Setting.imageURLSecret.environment)",
            ])
        }
        // Benchmark-only (never set in production): a constant JSON route beside the real ones,
        // the baseline of benchmarks/builder/run.
        configuration.benchmarkConstantRoute = ProcessInfo.processInfo.environment["ITP_BENCHMARK_CONSTANT_ROUTE"] == "1"
        let app = try buildApplication(configuration: configuration)

        // Ready means "can accept products": that needs the database only. A broker
        // outage delays publishing (the outbox holds the jobs), it does not refuse work.
        daemon.health.addReadiness("database", gauge: MetricName.databaseConnected) { probe.isReachable }
        daemon.health.addGauge(MetricName.amqpConnected) { broker.isConnected }
        daemon.health.addLiveness("broker_io_loop") { broker.isLoopHealthy() }
        try await daemon.run(services: [app], shutdownGrace: .seconds(shutdownGrace), metadata: [LogKey.httpAddress: "\(resolved.address)"])
    }
}
