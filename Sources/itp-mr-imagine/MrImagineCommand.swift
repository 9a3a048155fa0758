import ArgumentParser
import Mockups
import MockupWorker
import Settings

@main
struct MrImagineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itp-mr-imagine",
        abstract: "ITP mr_imagine compositor: consumes mockup.mr_imagine and composites the selected design onto the mr_imagine base photo with perspective and fabric shading.",
        discussion: DaemonSettings.helpSection(MockupWorkerConfiguration.settings))

    @OptionGroup var options: DaemonOptions
    @OptionGroup var workerOptions: MockupWorkerOptions

    func run() async throws {
        try await MockupWorkerDaemon.run(kind: .mrImagine, name: "itp-mr-imagine", options: options, workerOptions: workerOptions)
    }
}
