import FleetTesting
import Foundation
import Soak
import Testing

/// The soak of issue 8 in small: a handful of products through the whole fleet (several
/// design workers) while every kind of fault is injected a few times, then every invariant
/// of the full soak. It consumes the production queue names and restarts the servers, so it
/// runs in scripts/test's serial phase. Bounded by count and deadlines, never by wall time.
@Suite(.serialized) struct ExclusiveSoakTests {
    @Test func aSmallSoakUnderFaultsKeepsEveryInvariant() async throws {
        let environment = try TestEnvironment.require()
        var configuration = try SmallSoak.configuration(environment, amqpURL: environment.amqpURL, name: "soak")
        configuration.products = 8
        configuration.concurrency = 8
        configuration.faultInterval = 4...8
        configuration.poisonMessages = 4
        configuration.killAfterCommitPercent = 10
        configuration.garbageShare = 0.15
        // Bounded by count (8 products, 30 faults; about 25 fitted the old 240 s phase on a
        // quiet machine); the time limits only guard against a hang. The old 240 s bound
        // was a wall-time assertion: at load 8 the phase ran out with products still
        // awaiting selection.
        configuration.faultLimit = 30

        let result = try await SoakRun(configuration: configuration).run()
        let details = SmallSoak.details(result)
        #expect(result.products.count == 8, "\(details)")
        #expect(result.report.isClean, "\(result.report)\n\(details)")
        try? FileManager.default.removeItem(atPath: configuration.workDirectory)
    }
}
