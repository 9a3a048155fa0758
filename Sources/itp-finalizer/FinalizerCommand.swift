import ArgumentParser
import Finalizer
import Settings
import WorkerDaemon

@main
struct FinalizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-finalizer",
        abstract: "ITP finalizer: consumes finalizer.events and the dead-letter queues; promotes products to ready_for_sale, settles credits, records dead letters and sweeps for missed events.",
        discussion: DaemonSettings.helpSection(FinalizerOptions.settings))

    @OptionGroup var options: DaemonOptions
    @OptionGroup var finalizer: FinalizerOptions

    func run() async throws {
        let (settings, resolved) = try DaemonBoot.settings(options, daemon: "itp-finalizer", own: finalizer.resolve)
        let sweepInterval = resolved.sweepInterval, retention = resolved.retention
        try await WorkerDaemon(settings: settings, options: resolved.daemon).run(
            makeHandler: { _, _, _ in FinalizerHandler() },
            makeServices: { database, _, logger in
                [SweepService(database: database, interval: sweepInterval, logger: logger),
                 RetentionService(database: database, retention: retention, logger: logger)]
            })
    }
}
