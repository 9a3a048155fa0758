import FleetTesting
import Foundation

/// The whole fleet as real processes, several instances per kind, supervised: a daemon that
/// dies (killed by a fault or by itself) is restarted after a short pause, as systemd's
/// `Restart=always` would, unless the harness holds it down.
public final class SoakFleet: @unchecked Sendable {
    // @unchecked: `processes` is fixed after init; each FleetProcess locks itself.
    public let processes: [FleetProcess]
    /// The intakes' base URLs (one per intake instance).
    public let intakeURLs: [String]
    private let supervising = SupervisorFlag()

    final class SupervisorFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isOn: Bool { lock.withLock { value } }
        func set(_ on: Bool) { lock.withLock { value = on } }
    }

    /// - Parameters:
    ///   - conninfo: the run's schema.
    ///   - providerURL: the fake image API, or nil for the built-in provider.
    ///   - observabilityPorts: when true, every instance gets its own fixed loopback port
    ///     for /metrics (the benchmark reads them); otherwise port 0.
    init(configuration: SoakConfiguration, conninfo: String, storage: String, providerURL: String?,
         faultEnvironment: [String: String], observabilityPorts: Bool) throws {
        let logs = configuration.workDirectory + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        var processes: [FleetProcess] = []
        var intakeURLs: [String] = []
        var environment = ProcessInfo.processInfo.environment
        // The daemons read their settings from flags here; keep the harness's own out.
        for key in environment.keys where key.hasPrefix("ITP_") { environment[key] = nil }
        let common = [
            "--database-url", conninfo, "--amqp-url", configuration.amqpURL, "--storage-url", "file://\(storage)",
            "--log-level", "notice",
        ]
        for kind in DaemonKind.allCases {
            for instance in 1...max(configuration.instances[kind] ?? 1, 1) {
                var arguments = common
                let observabilityPort = observabilityPorts ? try freeLoopbackPort() : nil
                arguments += ["--observability-addr", "127.0.0.1:\(observabilityPort ?? 0)"]
                var env = environment
                switch kind {
                case .intake:
                    let port = try freeLoopbackPort()
                    intakeURLs.append("http://127.0.0.1:\(port)")
                    arguments += ["--http-addr", "127.0.0.1:\(port)", "--templates-dir", configuration.templatesDirectory,
                                  "--rate-limit-burst", "100000", "--rate-limit-per-second", "100000"]
                case .finalizer:
                    arguments += ["--sweep-interval", "3"]
                    // A benchmark measures the fleet's work, not retention's: keep every row (a
                    // seeded history then stays whole, the worst case for the hot statements).
                    if configuration.measure { arguments += ["--retention-outbox-days", "0", "--retention-attempts-days", "0"] }
                    env.merge(faultEnvironment) { $1 }
                case .design:
                    if let providerURL {
                        arguments += ["--image-provider", "openai-images", "--image-api-base-url", providerURL,
                                      "--image-api-key", FakeImageAPI.apiKey, "--image-model", "gpt-image-1",
                                      "--provider-timeout-seconds", "8"]
                        if let rate = configuration.providerCallsPerMinute { arguments += ["--provider-calls-per-minute", "\(rate)"] }
                    }
                    arguments += ["--image-size", "\(configuration.imageSize)"]
                    env.merge(faultEnvironment) { $1 }
                case .flatLay, .mrImagine:
                    arguments += ["--templates-dir", configuration.templatesDirectory]
                    env.merge(faultEnvironment) { $1 }
                }
                processes.append(FleetProcess(
                    kind: kind, instance: instance, executable: configuration.binDirectory + "/" + kind.executable,
                    arguments: arguments, environment: env, logPath: "\(logs)/\(kind.rawValue)-\(instance).log",
                    observabilityPort: observabilityPort))
            }
        }
        self.processes = processes
        self.intakeURLs = intakeURLs
    }

    func startAll() throws {
        for process in processes { try process.start() }
    }

    /// Restarts dead daemons every half second until ``stopAll(grace:)``.
    func supervise() async {
        supervising.set(true)
        while supervising.isOn, !Task.isCancelled {
            for process in processes where process.reap() {
                try? await Task.sleep(for: .milliseconds(300))
                if supervising.isOn { try? process.start() }
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Ends supervision and stops every daemon with SIGTERM (SIGKILL after `grace`).
    /// Returns the daemons that did not exit 0 on that SIGTERM.
    func stopAll(grace: Duration) async -> [String] {
        supervising.set(false)
        var bad: [String] = []
        await withTaskGroup(of: String?.self) { group in
            for process in processes {
                group.addTask {
                    let ending = await process.stop(grace: grace)
                    return ending == "exit 0" ? nil : "\(process.name) ended with \(ending) on SIGTERM"
                }
            }
            for await result in group { if let result { bad.append(result) } }
        }
        return bad
    }

    /// Every instance running (after the supervisor caught up).
    var allRunning: Bool { processes.allSatisfy(\.isRunning) }

    /// Lines of every log matching `needle` (e.g. the fault point's self-kill lines).
    func countLogLines(containing needle: String) -> Int {
        var seen = Set<String>()
        var count = 0
        for process in processes where seen.insert(process.logPath).inserted {
            let text = (try? String(contentsOfFile: process.logPath, encoding: .utf8)) ?? ""
            count += text.split(separator: "\n").filter { $0.contains(needle) }.count
        }
        return count
    }
}
