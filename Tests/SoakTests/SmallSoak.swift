import FleetTesting
import Foundation
import Soak

/// What the short soaks of scripts/test share: the built daemons, the repository's templates
/// and migrations, a small fleet (one of each daemon, two design workers), two owners, small
/// designs, re-selections and regenerations, and time limits that only guard against a hang
/// (the soaks are bounded by product and fault counts, never by wall time).
enum SmallSoak {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// What a failed expectation shows: the summary, the fault log and the storefront's problems.
    static func details(_ result: SoakRun.Result) -> String {
        (result.summary + ["faults:"] + result.faultLog + ["storefront:"] + result.storefrontProblems).joined(separator: "\n")
    }

    /// The configuration against `amqpURL`, working under a new directory named after `name`.
    static func configuration(_ environment: TestEnvironment, amqpURL: String, name: String) throws -> SoakConfiguration {
        let binDirectory = URL(fileURLWithPath: try BuiltProducts.path("itp-intake")).deletingLastPathComponent().path
        let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName(name)).path
        var configuration = SoakConfiguration(
            databaseURL: environment.databaseURL, amqpURL: amqpURL, serversScript: environment.serversScript,
            binDirectory: binDirectory, templatesDirectory: repository + "/templates",
            migrationsDirectory: repository + "/migrations", workDirectory: workDirectory)
        configuration.owners = 2
        configuration.candidates = 2...2
        configuration.imageSize = 256
        configuration.instances = [.intake: 1, .finalizer: 1, .design: 2, .flatLay: 1, .mrImagine: 1]
        configuration.reselectShare = 0.5
        configuration.regenerateShare = 0.25
        configuration.timeLimit = .seconds(20 * 60)
        configuration.settleLimit = .seconds(5 * 60)
        configuration.cleanUp = true
        return configuration
    }
}
