import FleetTesting
import Foundation
import Soak
import Testing

/// The soak of issue 8 in small: a handful of products through the whole fleet (several
/// design workers) while every kind of fault is injected a few times, then every invariant
/// of the full soak. It consumes the production queue names and restarts the servers, so it
/// runs in scripts/test's serial phase. Bounded by count and deadlines, never by wall time.
@Suite(.serialized) struct ExclusiveSoakTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func aSmallSoakUnderFaultsKeepsEveryInvariant() async throws {
        let environment = try TestEnvironment.require()
        let binDirectory = URL(fileURLWithPath: try BuiltProducts.path("itp-intake")).deletingLastPathComponent().path
        let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("soak")).path
        var configuration = SoakConfiguration(
            databaseURL: environment.databaseURL, amqpURL: environment.amqpURL, serversScript: environment.serversScript,
            binDirectory: binDirectory, templatesDirectory: Self.repository + "/templates",
            migrationsDirectory: Self.repository + "/migrations", workDirectory: workDirectory)
        configuration.products = 8
        configuration.owners = 2
        configuration.concurrency = 8
        configuration.candidates = 2...2
        configuration.imageSize = 256
        configuration.instances = [.intake: 1, .finalizer: 1, .design: 2, .flatLay: 1, .mrImagine: 1]
        configuration.faultInterval = 4...8
        configuration.poisonMessages = 4
        configuration.killAfterCommitPercent = 10
        configuration.garbageShare = 0.15
        configuration.reselectShare = 0.5
        configuration.regenerateShare = 0.25
        // Bounded by count (8 products, 30 faults; about 25 fitted the old 240 s phase on a
        // quiet machine); the time limits only guard against a hang. The old 240 s bound
        // was a wall-time assertion: at load 8 the phase ran out with products still
        // awaiting selection.
        configuration.faultLimit = 30
        configuration.timeLimit = .seconds(20 * 60)
        configuration.settleLimit = .seconds(5 * 60)
        configuration.cleanUp = true

        let result = try await SoakRun(configuration: configuration).run()
        let details = (result.summary + ["faults:"] + result.faultLog + ["storefront:"] + result.storefrontProblems).joined(separator: "\n")
        #expect(result.products.count == 8, "\(details)")
        #expect(result.report.isClean, "\(result.report)\n\(details)")
        try? FileManager.default.removeItem(atPath: workDirectory)
    }
}
