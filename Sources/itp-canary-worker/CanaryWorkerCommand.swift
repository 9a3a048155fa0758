import ArgumentParser
import JobRuntime
import Settings
import WorkerDaemon

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

    @Option(help: "Plain canary jobs sharing one transaction at most when they arrive together (1: each commits alone).")
    var inlineBatchLimit = 32

    @Flag(help: "Declare the queue's topology (queue, delay queues, dead-letter queue) before consuming.")
    var declare = false

    func validate() throws {
        guard inlineBatchLimit >= 1 else {
            throw ValidationError("--inline-batch-limit must be at least 1 (got \(inlineBatchLimit))")
        }
    }

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-canary-worker")
        let workQueue = Topology.WorkQueue(name: queue, deliveryLimit: deliveryLimit, exchange: Topology.jobsExchange, bindingKeys: [queue])
        var daemonOptions = WorkerDaemon.Options(name: "itp-canary-worker", queue: workQueue)
        daemonOptions.prefetch = prefetch
        daemonOptions.defaultRetryPolicy = RetryPolicy(
            maxAttempts: maxAttempts, initialDelay: .milliseconds(retryInitialDelayMs), maxDelay: .seconds(600))
        daemonOptions.shutdownGrace = .seconds(shutdownGrace)
        daemonOptions.declareTopology = declare
        daemonOptions.inlineBatchLimit = inlineBatchLimit
        daemonOptions.recordDeadLettersOf = [workQueue]
        try await DaemonBoot.check("itp-canary-worker") {
            WorkerDaemon(settings: settings, options: daemonOptions)
        }.run { _, _, _ in CanaryHandler() }
    }
}
