import ArgumentParser
import Settings

@main
struct FinalizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-finalizer",
        abstract: "ITP finalizer: consumes finalizer.events and the dead-letter queues; promotes products to ready_for_sale, settles credits, records dead letters and sweeps for missed events.",
        discussion: DaemonSettings.helpSection())

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: Self.configuration.commandName ?? "itp-finalizer")
        try DaemonBoot.notYetAvailable("itp-finalizer", settings: settings)
    }
}
