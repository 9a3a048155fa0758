import ArgumentParser

/// The job-runtime benchmark (issue 3): canary jobs through the full runtime against a
/// plain consume → one transaction → ack loop over the same servers, printed as a ratio.
@main
struct BenchRuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-bench-runtime",
        abstract: "Benchmark: jobs/s of the job runtime against a consume-insert-ack baseline, same servers, same run.",
        subcommands: [BenchmarkCommand.self, BaselineConsumerCommand.self],
        defaultSubcommand: BenchmarkCommand.self)
}
