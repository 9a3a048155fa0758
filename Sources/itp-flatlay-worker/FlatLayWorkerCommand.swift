import ArgumentParser
import Mockups
import MockupWorker
import Settings

@main
struct FlatLayWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-flatlay-worker",
        abstract: "ITP flat-lay worker: consumes mockup.flat_lay and composites the selected design onto the flat-lay garment template for the product's type and colour.",
        discussion: DaemonSettings.helpSection(MockupWorkerConfiguration.settings))

    @OptionGroup var options: DaemonOptions
    @OptionGroup var workerOptions: MockupWorkerOptions

    func run() async throws {
        try await MockupWorkerDaemon.run(kind: .flatLay, name: "itp-flatlay-worker", options: options, workerOptions: workerOptions)
    }
}
