import ArgumentParser
import Settings

@main
struct DesignWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-design-worker",
        abstract: "ITP design worker: consumes design.generate, generates design candidates through an image provider and stores original, DTF and background-removed variants as inactive design assets.",
        discussion: DaemonSettings.helpSection())

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: Self.configuration.commandName ?? "itp-design-worker")
        try DaemonBoot.notYetAvailable("itp-design-worker", settings: settings)
    }
}
