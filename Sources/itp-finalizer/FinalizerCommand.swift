import ArgumentParser
import Finalizer
import JobRuntime
import ProductFlow
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
        let name = "itp-finalizer"
        let settings = try DaemonBoot.settings(options, daemon: name)
        let resolved = try DaemonBoot.check(name) { try finalizer.resolve(settings.source) }
        var daemonOptions = WorkerDaemon.Options(name: name, queue: ProductQueues.finalizerEvents)
        daemonOptions.prefetch = resolved.prefetch
        daemonOptions.shutdownGrace = resolved.shutdownGrace
        daemonOptions.declareTopology = finalizer.declare
        // Every dead-letter queue is recorded here, and a dead job re-evaluates its product.
        daemonOptions.recordDeadLettersOf = ProductQueues.all
        daemonOptions.deadLetterHook = { logger in DeadJobHook.make(logger: logger) }
        let sweepInterval = resolved.sweepInterval
        try await WorkerDaemon(settings: settings, options: daemonOptions).run(
            makeHandler: { _, _, _ in FinalizerHandler() },
            makeServices: { database, _, logger in [SweepService(database: database, interval: sweepInterval, logger: logger)] })
    }
}
