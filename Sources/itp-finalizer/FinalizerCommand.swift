import ArgumentParser
import Finalizer
import Logging
import JobRuntime
import MockupWorker
import Settings
import WorkerDaemon

@main
struct FinalizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-finalizer",
        abstract: "ITP finalizer: consumes finalizer.events and the dead-letter queues; promotes products to ready_for_sale, settles credits, records dead letters and sweeps for missed events.",
        discussion: DaemonSettings.helpSection())

    @OptionGroup var options: DaemonOptions

    @Option(help: "Events handled at once (AMQP prefetch).")
    var prefetch = 8

    @Option(help: "Seconds between sweeps for products whose events were lost.")
    var sweepInterval = 15

    @Option(help: "Seconds to finish in-flight events after SIGTERM; keep it below the unit's TimeoutStopSec.")
    var shutdownGrace = 20

    @Flag(help: "Declare the broker topology at start (single-node set-ups and tests).")
    var declare = false

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-finalizer")
        var daemonOptions = WorkerDaemon.Options(name: "itp-finalizer", queue: Topology.finalizerEvents)
        daemonOptions.prefetch = prefetch
        daemonOptions.shutdownGrace = .seconds(shutdownGrace)
        daemonOptions.declareTopology = declare
        // Every dead-letter queue is recorded here, and a dead job re-evaluates its product.
        daemonOptions.recordDeadLettersOf = Topology().workQueues
        // A dead mockup job leaves a failed, inactive asset row first (the gallery's fallback).
        // Its logger is made when a dead letter arrives, after the daemon set up logging.
        daemonOptions.deadLetterHook = DeadJobHook.make(extra: { record, connection in
            try MockupFailureRecorder(logger: Logger(label: "itp-finalizer")).hook(record, connection)
        })
        let sweepInterval = Duration.seconds(self.sweepInterval)
        try await WorkerDaemon(settings: settings, options: daemonOptions).run(
            makeHandler: { _, _, _ in FinalizerHandler() },
            makeServices: { database, _, logger in [SweepService(database: database, interval: sweepInterval, logger: logger)] })
    }
}
