import ArgumentParser
import Settings

@main
struct FlatLayWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-flatlay-worker",
        abstract: "ITP flat-lay worker: consumes mockup.flat_lay and composites the selected design onto the flat-lay garment template for the product's type and colour.",
        discussion: DaemonSettings.helpSection())

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: Self.configuration.commandName ?? "itp-flatlay-worker")
        try DaemonBoot.notYetAvailable("itp-flatlay-worker", settings: settings)
    }
}
