import FleetTesting
import Foundation
import Testing

/// `systemd-analyze verify` exits 0 on unknown keys, so any output at all is a failure
/// (FIELD-NOTES.md). The units name /usr/lib/itp/bin; the test points them at the built
/// binaries, because verify also checks that ExecStart is executable.
@Suite struct SystemdUnitTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let units = [
        "itp-intake.service", "itp-finalizer.service", "itp-design-worker@.service", "itp-flatlay-worker@.service",
        "itp-mr-imagine@.service", "itp.target", "itp-scale.service", "itp-scale.timer",
    ]

    /// Copies the units into a fresh directory with ExecStart pointing at the built binaries.
    func stage(_ transform: (String) -> String = { $0 }) async throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("units"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let binaries = URL(fileURLWithPath: try BuiltProducts.path("itp-admin")).deletingLastPathComponent().path
        for unit in Self.units {
            let text = try String(contentsOf: Self.repository.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
            try transform(text.replacingOccurrences(of: "/usr/lib/itp/bin/", with: binaries + "/"))
                .write(to: directory.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        return directory
    }

    func verify(_ path: String) async throws -> ProcessRunner.Output {
        try await ProcessRunner.capture("/usr/bin/systemd-analyze", ["verify", path], environment: ["SYSTEMD_LOG_LEVEL": "notice", "PATH": "/usr/bin:/bin"])
    }

    /// Template units are verified through an instance name, as systemd would load them.
    func instancePath(_ unit: String, in directory: URL) async throws -> String {
        guard unit.hasSuffix("@.service") else { return directory.appendingPathComponent(unit).path }
        let instance = directory.appendingPathComponent(unit.replacingOccurrences(of: "@.service", with: "@3.service"))
        if !FileManager.default.fileExists(atPath: instance.path) {
            try FileManager.default.copyItem(at: directory.appendingPathComponent(unit), to: instance)
        }
        return instance.path
    }

    @Test(arguments: units)
    func verifyIsSilent(_ unit: String) async throws {
        let directory = try await stage()
        let output = try await verify(try await instancePath(unit, in: directory))
        #expect(output.status == 0)
        #expect(output.stdout.isEmpty && output.stderr.isEmpty, "\(unit): \(output.stdout)\(output.stderr)")
    }

    @Test func theCheckCanFail() async throws {
        // Negative control: an unknown key exits 0 but prints; the test above would catch it.
        let directory = try await stage { $0.replacingOccurrences(of: "WatchdogSec=30", with: "WatchdogSec=30\nWatchdogSecs=3") }
        let output = try await verify(directory.appendingPathComponent("itp-finalizer.service").path)
        #expect(!(output.stdout + output.stderr).isEmpty)
    }

    @Test(arguments: units.filter { $0.hasSuffix(".service") && $0 != "itp-scale.service" })
    func daemonUnitsAreNotifyWatchdogAndHardened(_ unit: String) async throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
        for line in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "EnvironmentFile=/etc/itp/itp.env", "User=itp",
                     "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "ReadWritePaths=/var/lib/itp"] {
            #expect(text.contains(line), "\(unit) lacks \(line)")
        }
        // The stop timeout must exceed the daemons' default shutdown grace (30 s).
        let stop = text.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") }.flatMap { Int($0.dropFirst("TimeoutStopSec=".count)) }
        #expect((stop ?? 0) > 30, "\(unit) TimeoutStopSec")
    }
}
