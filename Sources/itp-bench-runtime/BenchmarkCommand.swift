import AMQP
import ArgumentParser
import Foundation
import Logging
import Schema

/// Runs the scenarios and prints the figures. A benchmark reports; it never fails on a
/// missed target (only on a broken set-up).
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runtime vs baseline, 1 and 4 processes (the default command).")

    @OptionGroup var connections: BenchConnections

    @Option(help: "Jobs (runtime) and messages (baseline) per scenario.")
    var jobs = 5000

    @Option(help: "Process counts to measure, each for runtime and baseline (repeat the flag).")
    var workers: [Int] = [1, 4]

    @Option(help: "AMQP prefetch of every worker and baseline consumer (jobs in flight per process).")
    var prefetch = 16

    @Option(help: "Runtime: canary jobs sharing one transaction at most when they arrive together (the workers' --inline-batch-limit; 1: each commits alone).")
    var inlineBatchLimit = 32

    @Option(help: "Baseline: Postgres connections per consumer process (default: the prefetch, one per message in flight).")
    var baselineDatabaseConnections: Int?

    @Option(help: "Rounds; each measures every scenario once (baseline, runtime, runtime-pre). Ratios use the median.")
    var rounds = 3

    @Option(help: "The release itp-canary-worker (default: next to this executable).")
    var workerBinary: String?

    @Option(name: .customLong("migrations-dir"), help: "The migrations directory (default: ./migrations).")
    var migrationsDirectory = "migrations"

    @Option(help: "Seconds one scenario may take before it is reported as failed.")
    var timeout = 180

    @Option(help: "The target ratio runtime/baseline.")
    var target = 0.60

    @Flag(inversion: .prefixedNo, help: "Also measure the runtime with its outbox published before the clock starts (the consume side alone).")
    var prepublished = true

    func validate() throws {
        guard jobs > 0, prefetch > 0, rounds > 0, timeout > 0, inlineBatchLimit > 0 else {
            throw ValidationError("--jobs, --prefetch, --rounds, --timeout and --inline-batch-limit must be positive")
        }
        guard !workers.isEmpty, workers.allSatisfy({ $0 > 0 }) else { throw ValidationError("--workers must be positive") }
    }

    func run() async throws {
        let (databaseURL, amqpURL) = try connections.resolve()
        let harness = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let worker = workerBinary ?? harness.deletingLastPathComponent().appendingPathComponent("itp-canary-worker").path
        guard FileManager.default.isExecutableFile(atPath: worker) else {
            throw ValidationError("no itp-canary-worker at \(worker): build it (swift build -c release) or pass --worker-binary")
        }
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("itp-bench-runtime-\(getpid())")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let settings = ScenarioSettings(
            databaseURL: databaseURL, amqpURL: amqpURL, items: jobs, prefetch: prefetch, inlineBatchLimit: inlineBatchLimit,
            baselineDatabaseConnections: baselineDatabaseConnections ?? prefetch,
            workerBinary: worker, harnessBinary: harness.path,
            migrations: try MigrationFile.load(from: URL(fileURLWithPath: migrationsDirectory)),
            logDirectory: logDirectory, timeout: .seconds(timeout))

        var logger = Logger(label: "itp-bench-runtime")
        logger.logLevel = .warning
        var amqpConfiguration = try AMQPConfiguration(url: amqpURL)
        amqpConfiguration.connectionName = "itp-bench-runtime"
        let broker = try await AMQPConnection.connect(configuration: amqpConfiguration, logger: logger)

        let report = Report(settings: settings, rounds: rounds, target: target)
        report.printHeader()
        var results: [Measurement] = []
        var enqueues: [RuntimeScenario.Enqueued] = []
        for round in 1...rounds {
            for count in workers {
                let baseline = try await BaselineScenario(settings: settings, broker: broker, logger: logger)
                    .run(consumers: count, round: round)
                report.printRow(baseline)
                results.append(baseline)
                for variant in prepublished ? [false, true] : [false] {
                    let (runtime, enqueued) = try await RuntimeScenario(settings: settings, broker: broker, logger: logger)
                        .run(workers: count, round: round, prepublished: variant)
                    report.printRow(runtime)
                    results.append(runtime)
                    enqueues.append(enqueued)
                }
            }
        }
        await broker.close()
        report.printSummary(results, enqueues: enqueues, workerCounts: workers)
        if results.allSatisfy({ $0.failure == nil }) {
            try? FileManager.default.removeItem(at: logDirectory)
        } else {
            report.emit("process logs kept in \(logDirectory.path)")
        }
    }
}
