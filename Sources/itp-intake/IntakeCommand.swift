import ArgumentParser
import Settings

@main
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-intake",
        abstract: "ITP intake: the versioned HTTP API (/v1/products …) that creates products, reserves credits and enqueues design jobs through the outbox.",
        discussion: DaemonSettings.helpSection([.httpAddress]))

    @OptionGroup var options: DaemonOptions

    @Option(name: .customLong("http-addr"), help: .setting(.httpAddress))
    var httpAddress: String?

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-intake")
        _ = try DaemonBoot.check("itp-intake") {
            try HostPort(parsing: Setting.httpAddress.raw(flag: httpAddress, in: settings.source) ?? "", setting: .httpAddress)
        }
        try DaemonBoot.notYetAvailable("itp-intake", settings: settings)
    }
}
