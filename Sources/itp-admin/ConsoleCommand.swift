import AMQP
import ArgumentParser
import AssetImages
import Console
import Foundation
import Hummingbird
import JobRuntime
import Logging
import Operations
import Postgres
import ServiceLifecycle
import Settings
import Storage
import Vocabulary

/// `itp-admin console`: the operator console in the browser, on its own listener
/// (`ITP_CONSOLE_ADDR`, loopback by default), never on the shop-facing intake port. It is a
/// subcommand rather than a daemon of its own because it is itp-admin in a browser: the same
/// settings, the same library code (``Operations``), run by an operator when needed (behind an
/// SSH tunnel or a TLS proxy). It also runs the fleet's outbox relay, so a replay it commits
/// is published even when no other daemon runs. SIGTERM or SIGINT stops it; a bulk replay then
/// stops between two items, and its audit row says how far it got.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Serve the operator console (overview, dead letters, bulk replay and purge, products, scaling, audit) on ITP_CONSOLE_ADDR.",
        discussion: """
            Operators sign in with accounts made by 'itp-admin operators create NAME [--read-only]'. \
            Exit codes: 0 stopped by a signal; 69 the database or broker is unreachable at start; 78 a bad setting.
            """)

    @OptionGroup var options: DaemonOptions
    @Option(setting: .consoleAddress) var consoleAddr: String?
    @Option(setting: .consolePageSize) var pageSize: String?

    func run() async throws {
        let consoleAddr = consoleAddr, pageSize = pageSize
        let (settings, own) = try DaemonBoot.settings(options, daemon: "itp-admin console") { source in
            (try HostPort(parsing: Setting.consoleAddress.raw(flag: consoleAddr, in: source) ?? "", setting: .consoleAddress),
             try Setting.consolePageSize.number(flag: pageSize, in: source, range: 2...500))
        }
        let (address, rows) = own
        var logger = Logger(label: "itp-console") { StreamLogHandler.standardOutput(label: $0) }
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
        let database = PostgresClient(conninfo: settings.databaseURL, maxConnections: 4, logger: logger)
        do {
            _ = try await database.withConnection { try $0.query("SELECT 1 AS one") }
        } catch {
            AdminFailure.handle(error)
        }
        let broker = await AdminBroker.connect(settings)
        let relay = OutboxRelay(
            configuration: OutboxRelay.Configuration(listenConninfo: settings.databaseURL), database: database, broker: broker, logger: logger)
        var configuration = ConsoleConfiguration(address: address, database: database, logger: logger)
        configuration.pageSize = rows
        // The pages' own broker connection (queue readings, the scale plan's passive declares),
        // apart from the relay's publishing one.
        let readings = await AdminBroker.connect(settings)
        configuration.broker = readings
        configuration.images = AssetImageStore(storage: StorageFactory.make(settings.storage))
        configuration.workers = WorkerKind.defaults(source: settings.source)
        let app = try buildConsoleApplication(configuration: configuration)
        logger.info("console listening", metadata: [LogKey.httpAddress: "\(address)"])
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: relay)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await readings.close()
        await broker.close()
        await database.shutdown()
    }
}
