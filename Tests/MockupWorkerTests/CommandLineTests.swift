import FleetTesting
import Foundation
import Testing

/// The built executables, run as an operator would (`swift build` first).
@Suite struct CommandLineTests {
    static let workers = ["itp-flatlay-worker", "itp-mr-imagine"]

    @Test(arguments: workers)
    func helpNamesEverySetting(worker: String) async throws {
        let path = try BuiltProducts.path(worker)
        let output = try await offPool { try ProcessRunner.runBlocking(path, ["--help"]) }
        for name in ["ITP_DATABASE_URL", "ITP_AMQP_URL", "ITP_STORAGE_URL", "ITP_OBSERVABILITY_ADDR", "ITP_LOG_LEVEL",
                     "ITP_CONFIG_FILE", "ITP_TEMPLATES_DIR", "ITP_MOCKUP_PREFETCH", "ITP_MOCKUP_SHUTDOWN_GRACE_SECONDS",
                     "--templates-dir", "--prefetch", "--shutdown-grace"] {
            #expect(output.stdout.contains(name), "\(worker) --help does not mention \(name)")
        }
    }

    @Test(arguments: workers)
    func aBrokenCatalogueStopsTheDaemonAtBoot(worker: String) async throws {
        let directory = try Self.brokenCatalogue()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var overrides = ProcessInfo.processInfo.environment
        overrides["ITP_TEMPLATES_DIR"] = directory
        let environment = overrides
        let path = try BuiltProducts.path(worker)
        let output = try await offPool {
            try ProcessRunner.captureBlocking(path, ["--storage-url", "file:///tmp/itp-unused", "--observability-addr", "127.0.0.1:0"],
                                      environment: environment)
        }
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_TEMPLATES_DIR"))
        #expect(output.stderr.contains("file is missing"))
    }

    @Test func templatesCheckPassesTheShippedCatalogue() async throws {
        let path = try BuiltProducts.path("itp-admin")
        let output = try await offPool {
            try ProcessRunner.captureBlocking(path, ["templates", "check", "--templates-dir", MockupFixture.templatesDirectory])
        }
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("ok: 60 templates"), "3 types × 5 colours × 2 kinds × front and back")
    }

    @Test func templatesCheckPrintsEachProblemAndFails() async throws {
        let directory = try Self.brokenCatalogue()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try BuiltProducts.path("itp-admin")
        let output = try await offPool { try ProcessRunner.captureBlocking(path, ["templates", "check", "--templates-dir", directory]) }
        #expect(output.status == 1)
        #expect(output.stdout.contains("product_types.tshirt.colors.black.flat_lay.image: tshirt/black/flat_lay.png: file is missing"))
        #expect(output.stdout.contains("product_types.tshirt.colors.black.mr_imagine.image: tshirt/black/mr_imagine.png: file is missing"))
        #expect(output.stdout.contains("2 problem(s)"))
    }

    /// A copy of the shipped catalogue with both tshirt/black images removed.
    static func brokenCatalogue() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("templates")).path
        try FileManager.default.copyItem(atPath: MockupFixture.templatesDirectory, toPath: directory)
        try FileManager.default.removeItem(atPath: directory + "/tshirt/black/flat_lay.png")
        try FileManager.default.removeItem(atPath: directory + "/tshirt/black/mr_imagine.png")
        return directory
    }
}
