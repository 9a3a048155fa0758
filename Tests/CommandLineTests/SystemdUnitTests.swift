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
        "itp-mr-imagine@.service", "itp-webhook-worker@.service", "itp.target", "itp-scale.service", "itp-scale.timer",
    ]

    /// Copies the units into a fresh directory with ExecStart pointing at the built binaries.
    func stage(_ transform: (String) -> String = { $0 }) throws -> URL {
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
    func instancePath(_ unit: String, in directory: URL, instance: Int = 3) throws -> String {
        guard unit.hasSuffix("@.service") else { return directory.appendingPathComponent(unit).path }
        let instance = directory.appendingPathComponent(unit.replacingOccurrences(of: "@.service", with: "@\(instance).service"))
        if !FileManager.default.fileExists(atPath: instance.path) {
            try FileManager.default.copyItem(at: directory.appendingPathComponent(unit), to: instance)
        }
        return instance.path
    }

    @Test(arguments: units)
    func verifyIsSilent(_ unit: String) async throws {
        let directory = try stage()
        for instance in unit.hasSuffix("@.service") ? [1, 2, 10, 64] : [0] {
            let output = try await verify(try instancePath(unit, in: directory, instance: instance))
            #expect(output.status == 0)
            #expect(output.stdout.isEmpty && output.stderr.isEmpty, "\(unit) @\(instance): \(output.stdout)\(output.stderr)")
        }
    }

    @Test func theCheckCanFail() async throws {
        // Negative control: an unknown key exits 0 but prints; the test above would catch it.
        let directory = try stage { $0.replacingOccurrences(of: "WatchdogSec=30", with: "WatchdogSec=30\nWatchdogSecs=3") }
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
    }

    static let daemonOfUnit = [
        "itp-intake.service": "itp-intake", "itp-finalizer.service": "itp-finalizer",
        "itp-design-worker@.service": "itp-design-worker", "itp-flatlay-worker@.service": "itp-flatlay-worker",
        "itp-mr-imagine@.service": "itp-mr-imagine", "itp-webhook-worker@.service": "itp-webhook-worker",
    ]

    /// The default of `--shutdown-grace` as the daemon's own `--help` prints it.
    static func defaultGrace(_ daemon: String) async throws -> Int {
        let help = try await ProcessRunner.capture(try BuiltProducts.path(daemon), ["--help"])
        let flat = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let option = try #require(flat.range(of: "--shutdown-grace <"), "\(daemon) --help has no --shutdown-grace")
        let rest = flat[option.upperBound...]
        let end = rest.range(of: " --")?.lowerBound ?? rest.endIndex
        let text = rest[..<end]
        let marker = try #require(text.range(of: "default: "), "\(daemon): no default in '\(text)'")
        return try #require(Int(text[marker.upperBound...].prefix { $0.isNumber }), "\(daemon): '\(text)'")
    }

    /// systemd's SIGKILL must never cut a drain short: each unit waits at least 15 s longer
    /// than its daemon's default grace (after the grace the daemon still closes its
    /// connections), and the README's settings table says the same defaults.
    @Test(arguments: daemonOfUnit.keys.sorted())
    func theStopTimeoutExceedsTheDaemonsDefaultGrace(_ unit: String) async throws {
        let daemon = try #require(Self.daemonOfUnit[unit])
        let text = try String(contentsOf: Self.repository.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
        let stop = try #require(
            text.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") }.flatMap { Int($0.dropFirst("TimeoutStopSec=".count)) },
            "\(unit) has no TimeoutStopSec")
        let grace = try await Self.defaultGrace(daemon)
        #expect(stop >= grace + 15, "\(unit): TimeoutStopSec=\(stop), \(daemon) --help says a grace of \(grace) s")
        // The unit's own comment names the same grace.
        #expect(text.contains("(default \(grace) s"), "\(unit) comment disagrees with \(daemon) --help (\(grace) s)")
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("systemd/README.md"), encoding: .utf8)
        #expect(readme.contains("| `\(daemon)` | \(stop) s | \(grace) s"), "systemd/README.md row of \(unit)")
    }

    @Test func theREADMEStatesTheSameGraces() async throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let design = try await Self.defaultGrace("itp-design-worker")
        let mockup = try await Self.defaultGrace("itp-flatlay-worker")
        #expect(try await Self.defaultGrace("itp-mr-imagine") == mockup)
        let finalizer = try await Self.defaultGrace("itp-finalizer")
        #expect(try await Self.defaultGrace("itp-intake") == finalizer)
        #expect(readme.contains("8192, 25 MP, \(design) s | design worker"))
        #expect(readme.contains("| 1, \(mockup) s | mockup workers"))
        #expect(readme.contains("| `--shutdown-grace` | \(finalizer) s | intake, finalizer"))
    }
}
