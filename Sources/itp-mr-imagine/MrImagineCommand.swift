import ArgumentParser
import Settings

@main
struct MrImagineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-mr-imagine",
        abstract: "ITP mr_imagine compositor: consumes mockup.mr_imagine and composites the selected design onto the mr_imagine base photo with perspective and fabric shading.",
        discussion: DaemonSettings.helpSection())

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: Self.configuration.commandName ?? "itp-mr-imagine")
        try DaemonBoot.notYetAvailable("itp-mr-imagine", settings: settings)
    }
}
