import ArgumentParser
import FleetTesting
import Foundation
import Soak

/// Where the binaries, templates and migrations are, and the run's scratch directory.
struct CommonOptions: ParsableArguments {
    @Option(help: "Directory of the built daemons (default: this executable's directory).")
    var binDir: String?

    @Option(help: "Repository root, for templates/ and migrations/ (default: found from the build).")
    var repo: String?

    @Option(help: "Directory for the run's logs and blobs (default: a new one under /tmp).")
    var workDir: String?

    @Option(help: "Instances per daemon, e.g. design=3,flatlay=2,mrimagine=2,intake=2,finalizer=2.")
    var instances: String?

    @Option(help: "Products in flight at once in the storefront.")
    var concurrency: Int?

    @Option(help: "Edge of the design images asked for, in pixels.")
    var imageSize: Int?

    @Flag(help: "Drop the run's schema and blobs at the end.")
    var cleanUp = false

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func configuration() throws -> SoakConfiguration {
        let environment = try TestEnvironment.require()
        let binDir = binDir ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        let repo = repo ?? Self.repository
        let workDir = workDir ?? "/tmp/itp-soak-\(getpid())"
        try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        var configuration = SoakConfiguration(
            databaseURL: environment.databaseURL, amqpURL: environment.amqpURL, serversScript: environment.serversScript,
            binDirectory: binDir, templatesDirectory: repo + "/templates", migrationsDirectory: repo + "/migrations", workDirectory: workDir)
        if let instances { configuration.instances.merge(try Self.parseInstances(instances)) { $1 } }
        if let concurrency { configuration.concurrency = concurrency }
        if let imageSize { configuration.imageSize = imageSize }
        configuration.cleanUp = cleanUp
        return configuration
    }

    static func parseInstances(_ text: String) throws -> [DaemonKind: Int] {
        let names: [String: DaemonKind] = [
            "intake": .intake, "finalizer": .finalizer, "design": .design, "flatlay": .flatLay, "mrimagine": .mrImagine,
        ]
        var result: [DaemonKind: Int] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let kind = names[String(parts[0])], let count = Int(parts[1]), (1...16).contains(count) else {
                throw ValidationError("--instances: '\(item)' is not NAME=COUNT with NAME one of \(names.keys.sorted().joined(separator: ", ")) and COUNT in 1...16")
            }
            result[kind] = count
        }
        return result
    }
}
