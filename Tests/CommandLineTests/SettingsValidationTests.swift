import FleetTesting
import Foundation
import Testing

/// A bad setting stops a daemon at boot with exit code 78 and a message naming the setting.
@Suite struct SettingsValidationTests {
    func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessRunner.Output {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ITP_") && key != "ITP_BIN_DIR" { env[key] = nil }
        env.merge(environment) { $1 }
        return try await ProcessRunner.capture(try BuiltProducts.path(name), arguments, environment: env)
    }

    @Test(arguments: HelpTests.daemons)
    func aBadBrokerURLInTheEnvironmentIsNamed(_ name: String) async throws {
        let output = try await run(name, ["--storage-url", "file:///tmp/itp-settings-test"], environment: ["ITP_AMQP_URL": "http://broker"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_AMQP_URL"))
        #expect(output.stderr.contains("--amqp-url"))
    }

    @Test func aFlagWinsOverTheEnvironment() async throws {
        let output = try await run(
            "itp-finalizer", ["--amqp-url", "amqp://u:p@127.0.0.1:5999/%2f", "--observability-addr", "127.0.0.1:99999"],
            environment: ["ITP_AMQP_URL": "http://broker", "ITP_STORAGE_URL": "file:///tmp/x"])
        // The broker URL from the flag was accepted; the next bad setting is the one reported.
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_OBSERVABILITY_ADDR"))
        #expect(!output.stderr.contains("ITP_AMQP_URL"))
    }

    @Test func s3StorageRequiresItsCredentials() async throws {
        let output = try await run("itp-design-worker", ["--storage-url", "s3://assets/prod"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_S3_ENDPOINT"))
    }

    @Test func aRelativeStoragePathIsRefused() async throws {
        let output = try await run("itp-flatlay-worker", ["--storage-url", "file://relative/dir"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_STORAGE_URL"))
    }

    @Test func settingsAreReadFromTheConfigFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("itp") + ".env")
        try Data("# comment\nITP_STORAGE_URL=\"file:///tmp/itp-config-test\"\nITP_LOG_LEVEL=loud\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await run("itp-mr-imagine", ["--config", file.path])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_LOG_LEVEL"))
        #expect(output.stderr.contains("'loud'"))
    }

    /// The finalizer's own settings are read from the environment like every other (issue 14).
    @Test func theFinalizersSettingsComeFromTheEnvironment() async throws {
        let output = try await run(
            "itp-finalizer", ["--storage-url", "file:///tmp/itp-settings-test"], environment: ["ITP_FINALIZER_PREFETCH": "0"])
        #expect(output.status == 78)
        #expect(output.stderr.contains("ITP_FINALIZER_PREFETCH"))
        #expect(output.stderr.contains("--prefetch"))
    }
}
