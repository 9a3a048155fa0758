import FleetTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every shipped unit started as systemd would start it: the unit's own `ExecStart`, its
/// `Environment=` lines with `%i` expanded, an `EnvironmentFile` pointing at the test's
/// servers, as its `User=` (an unprivileged `itp`), for instances 1, 2, 10 and 64 of every
/// worker template at once, each on the port systemd/README.md documents for it.
///
/// Not under a real systemd: no systemd runs in this container (PID 1 is not systemd), and a
/// booted one in systemd-nspawn needs a debootstrapped tree, i.e. downloads. The daemons do
/// bind the fixed, documented ports (that is what is tested), so the suite is Exclusive…: it
/// runs alone, after the rest.
@Suite(.serialized) struct ExclusiveShippedUnitsTests {
    static let instances = [1, 2, 10, 64]
    static let user = "itp"

    struct Unit {
        var file: String
        var execStart: [String]
        var environment: [(String, String)]
        var user: String?
        var environmentFile: String?
    }

    static func parse(_ file: String, instance: Int?) throws -> Unit {
        let text = try String(contentsOf: SystemdUnitTests.repository.appendingPathComponent("systemd/\(file)"), encoding: .utf8)
        var unit = Unit(file: file, execStart: [], environment: [])
        for raw in text.split(separator: "\n") {
            let line = instance.map { raw.replacingOccurrences(of: "%i", with: "\($0)") } ?? String(raw)
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = String(line[..<equals]), value = String(line[line.index(after: equals)...])
            switch key {
            case "ExecStart": unit.execStart = value.split(separator: " ").map(String.init)
            case "Environment":
                for assignment in value.split(separator: " ") {
                    let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
                    unit.environment.append((parts[0], parts.count > 1 ? parts[1] : ""))
                }
            case "User": unit.user = value
            case "EnvironmentFile": unit.environmentFile = value
            default: break
            }
        }
        return unit
    }

    /// The port systemd/README.md documents for `daemon` (instance `instance`).
    static func documentedPort(_ daemon: String, instance: Int?) throws -> Int {
        let readme = try String(contentsOf: SystemdUnitTests.repository.appendingPathComponent("systemd/README.md"), encoding: .utf8)
        let row = try #require(readme.split(separator: "\n").first { $0.contains("| `\(daemon)` |") }, "no row for \(daemon)")
        let port = try #require(row.split(separator: "|").last?.trimmingCharacters(in: .whitespaces))
        if port.hasSuffix("+ N") {
            let base = try #require(Int(port.split(separator: " ")[0]))
            return base + (try #require(instance, "\(daemon) is a template"))
        }
        return try #require(Int(port))
    }

    /// Quick shell steps of a serial suite (also from a `defer`, which cannot await).
    static func sh(_ command: String) throws -> ProcessRunner.Output {
        try ProcessRunner.captureBlocking("/bin/sh", ["-c", command])
    }

    @Test(.enabled(if: getuid() == 0, "needs root: it creates the unprivileged itp user and switches to it, as systemd does"))
    func everyUnitStartsAsShippedAsItsUserForInstances1_2_10_64AtOnce() async throws {
        // The user the units name, as deploy/install.sh makes it.
        if try Self.sh("getent passwd \(Self.user)").status != 0 {
            let made = try Self.sh("useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin \(Self.user)")
            #expect(made.status == 0, "useradd: \(made.stderr)")
        }
        let uid = try #require(Int(try Self.sh("id -u \(Self.user)").stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(uid != 0)

        // /usr/lib/itp/bin and /usr/share/itp as install.sh lays them out, somewhere itp can read.
        let stage = URL(fileURLWithPath: "/tmp").appendingPathComponent(uniqueName("itp-units"))
        let built = URL(fileURLWithPath: try BuiltProducts.path("itp-admin")).deletingLastPathComponent().path
        let layout = try Self.sh("""
            set -e; umask 022; mkdir -p '\(stage.path)/bin' '\(stage.path)/assets'
            for b in itp-intake itp-design-worker itp-flatlay-worker itp-mr-imagine itp-webhook-worker itp-finalizer itp-admin; do install -m 0755 '\(built)'/$b '\(stage.path)/bin/'; done
            for r in '\(built)'/*.resources; do [ -d "$r" ] && cp -r "$r" '\(stage.path)/bin/'; done
            cp -r '\(SystemdUnitTests.repository.path)/templates' '\(stage.path)/templates'
            chmod -R a+rX '\(stage.path)'; chown \(Self.user):\(Self.user) '\(stage.path)/assets'; chmod 0750 '\(stage.path)/assets'
            """)
        try #require(layout.status == 0, "\(layout.stderr)")
        defer { _ = try? Self.sh("rm -rf '\(stage.path)'") }

        let vhost = try await FreshVhost.make("itp_units")
        let schema = try await MigratedSchema.create("units")
        let setup = try await ProcessRunner.capture("\(stage.path)/bin/itp-admin", ["broker", "setup", "--amqp-url", vhost.url])
        try #require(setup.status == 0, "broker setup: \(setup.stderr)")

        // /etc/itp/itp.env for this test: the private servers, and the intake's HTTP port.
        let environmentFile: [(String, String)] = [
            ("ITP_DATABASE_URL", schema.conninfo), ("ITP_AMQP_URL", vhost.url),
            ("ITP_STORAGE_URL", "file://\(stage.path)/assets"), ("ITP_TEMPLATES_DIR", "\(stage.path)/templates"),
            ("ITP_HTTP_ADDR", "127.0.0.1:\(try freeLoopbackPort())"), ("ITP_LOG_LEVEL", "notice"),
        ]

        var launches: [(name: String, unit: Unit, port: Int)] = []
        for file in ["itp-intake.service", "itp-finalizer.service"] {
            let unit = try Self.parse(file, instance: nil)
            launches.append((file, unit, try Self.documentedPort(String(file.dropLast(".service".count)), instance: nil)))
        }
        for file in ["itp-design-worker@.service", "itp-flatlay-worker@.service", "itp-mr-imagine@.service", "itp-webhook-worker@.service"] {
            for instance in Self.instances {
                let unit = try Self.parse(file, instance: instance)
                let name = file.replacingOccurrences(of: "@.service", with: "@\(instance).service")
                launches.append((name, unit, try Self.documentedPort(String(file.dropLast("@.service".count)), instance: instance)))
            }
        }
        // Distinct, unprivileged ports, free right now (another run of this suite would hold them).
        let ports = launches.map(\.port)
        #expect(Set(ports).count == ports.count, "ports collide: \(ports)")
        for port in ports {
            #expect(port > 1024 && port <= 65535)
            try await waitUntil("127.0.0.1:\(port) to be free", timeout: .seconds(60), poll: .milliseconds(200)) { LoopbackHTTP.isFree(port) }
        }

        var processes: [(name: String, port: Int, child: ChildProcess)] = []
        for launch in launches {
            #expect(launch.unit.user == Self.user, "\(launch.name) runs as \(launch.unit.user ?? "root")")
            #expect(launch.unit.environmentFile == "/etc/itp/itp.env")
            let executable = try #require(launch.unit.execStart.first, "\(launch.name) has no ExecStart")
            #expect(executable.hasPrefix("/usr/lib/itp/bin/"))
            let staged = executable.replacingOccurrences(of: "/usr/lib/itp/bin/", with: "\(stage.path)/bin/")
            // systemd: EnvironmentFile= values override Environment= ones; nothing else is inherited.
            var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]
            for (key, value) in launch.unit.environment + environmentFile { environment[key] = value }
            let arguments = ["--reuid=\(Self.user)", "--regid=\(Self.user)", "--clear-groups", "--", staged] + launch.unit.execStart.dropFirst()
            processes.append((launch.name, launch.port, try ChildProcess("/usr/bin/setpriv", arguments, environment: environment)))
        }
        defer { for process in processes where process.child.process.isRunning { kill(process.child.process.processIdentifier, SIGKILL) } }

        for process in processes {
            try await waitUntil("\(process.name) /readyz on 127.0.0.1:\(process.port)", timeout: .seconds(180), poll: .milliseconds(250)) {
                if !process.child.process.isRunning {
                    throw TestEnvironmentError("\(process.name) exited with \(process.child.process.terminationStatus): \(process.child.log.suffix(1500))")
                }
                return (try? await LoopbackHTTP.request("GET", "/readyz", port: process.port).status) == 200
            }
            // As the unit's user, not root.
            let status = try String(contentsOfFile: "/proc/\(process.child.process.processIdentifier)/status", encoding: .utf8)
            let uids = status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?.split(whereSeparator: \.isWhitespace).dropFirst().map(String.init)
            #expect(uids == Array(repeating: "\(uid)", count: 4), "\(process.name): \(uids ?? [])")
            // Probes answer HEAD, and every metric family has its HELP line.
            #expect(try await LoopbackHTTP.request("HEAD", "/readyz", port: process.port).status == 200, "\(process.name)")
            // Alive once its consume loop runs, which may come a moment after ready.
            try await waitUntil("\(process.name) /healthz", timeout: .seconds(60), poll: .milliseconds(100)) {
                (try? await LoopbackHTTP.request("GET", "/healthz", port: process.port).status) == 200
            }
            #expect(try await LoopbackHTTP.request("HEAD", "/healthz", port: process.port).status == 200, "\(process.name)")
            let metrics = try await LoopbackHTTP.request("GET", "/metrics", port: process.port).body
            let lines = metrics.split(separator: "\n").map(String.init)
            for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
                let name = line.split(separator: " ")[2]
                #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(process.name): \(name) has no HELP")
            }
        }

        for process in processes { kill(process.child.process.processIdentifier, SIGTERM) }
        for process in processes {
            try await waitUntil("\(process.name) to exit after SIGTERM", timeout: .seconds(120), poll: .milliseconds(100)) {
                !process.child.process.isRunning
            }
            #expect(process.child.process.terminationReason == .exit, "\(process.name)")
            #expect(process.child.process.terminationStatus == 0, "\(process.name): \(process.child.log.suffix(1500))")
        }
        _ = try? await offPool { schema.drop() }
        await vhost.delete()
    }
}
