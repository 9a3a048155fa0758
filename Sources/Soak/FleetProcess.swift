import Foundation
import Synchronization

/// One daemon instance of the soak's fleet: spawned from the built binary with its log in a
/// file (appended across restarts), killed and restarted by the harness the way systemd's
/// `Restart=always` would.
public final class FleetProcess: @unchecked Sendable {
    // @unchecked: `process` is replaced only under `lock`.
    public let kind: DaemonKind
    public let instance: Int
    public let logPath: String
    /// Its /metrics port when fixed (the benchmark), nil when it is 0 (picked by the daemon).
    public let observabilityPort: Int?
    private let executable: String
    private let arguments: [String]
    private let environment: [String: String]
    private let lock = NSLock()
    private var process: Process?
    /// Set while the harness keeps it down on purpose (it is not restarted then).
    private var held = false
    /// CPU of earlier incarnations (read just before each was stopped or found dead).
    private var earlierCPU = 0.0
    private var lastCPUSample = 0.0

    public private(set) var starts = 0
    /// How incarnations ended: "exit 0", "signal 9", …
    public private(set) var exits: [String] = []

    init(kind: DaemonKind, instance: Int, executable: String, arguments: [String], environment: [String: String], logPath: String,
         observabilityPort: Int?) {
        self.kind = kind
        self.observabilityPort = observabilityPort
        self.instance = instance
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.logPath = logPath
    }

    public var name: String { "\(kind.rawValue)#\(instance)" }

    public func start() throws {
        lock.lock()
        defer { lock.unlock() }
        guard process?.isRunning != true else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? handle.close()
        self.process = process
        lastCPUSample = 0
        starts += 1
        held = false
    }

    public var pid: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return process.flatMap { $0.isRunning ? $0.processIdentifier : nil }
    }

    public var isRunning: Bool { pid != nil }

    /// Sends `signal`; with `hold`, the supervisor leaves it down until ``release()``.
    @discardableResult
    public func signal(_ signal: Int32, hold: Bool = false) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let process, process.isRunning else { return false }
        sampleCPULocked()
        if hold { held = true }
        return kill(process.processIdentifier, signal) == 0
    }

    /// Samples CPU (so a later kill -9 loses at most one interval) and, when the process has
    /// ended and is not held, records how and returns true (the caller restarts it).
    func reap() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let process else { return false }
        if process.isRunning {
            sampleCPULocked()
            return false
        }
        exits.append(process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "exit \(process.terminationStatus)")
        earlierCPU += lastCPUSample
        lastCPUSample = 0
        self.process = nil
        return !held
    }

    public func release() { lock.withLock { held = false } }

    private func sampleCPULocked() {
        if let process, process.isRunning, let seconds = ProcessCPU.seconds(of: process.processIdentifier) {
            lastCPUSample = seconds
        }
    }

    /// CPU seconds of every incarnation so far (sampled; a kill -9 loses at most the last
    /// sampling interval of that incarnation).
    public var cpuSeconds: Double {
        lock.lock()
        defer { lock.unlock() }
        sampleCPULocked()
        return earlierCPU + lastCPUSample
    }

    /// SIGTERM, wait up to `grace`, then SIGKILL. Returns how it ended.
    ///
    /// A daemon the supervisor restarted a moment ago may still be between exec and its
    /// first line of `main` (loading its libraries takes seconds on a loaded machine), where
    /// SIGTERM's default action ends it by signal before any code of ours could run: the
    /// SIGTERM waits (up to `grace`) until the process handles or ignores the signal, so
    /// the check is of the daemon's shutdown, not of the kernel's default action. A daemon
    /// that never gets there is still stopped and reported as it ended.
    func stop(grace: Duration) async -> String {
        let handlerDeadline = ContinuousClock.now + grace
        while let pid, !Self.handlesTermination(pid), ContinuousClock.now < handlerDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard signal(SIGTERM, hold: true) else {
            _ = reap()
            return exits.last ?? "not running"
        }
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if isRunning { signal(SIGKILL, hold: true) }
        while isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        _ = reap()
        return exits.last ?? "unknown"
    }

    /// Whether `pid` catches or ignores SIGTERM (`SigCgt`/`SigIgn` in /proc/PID/status).
    static func handlesTermination(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        let bit = UInt64(1) << UInt64(SIGTERM - 1)
        return status.split(separator: "\n").contains { line in
            guard line.hasPrefix("SigCgt:") || line.hasPrefix("SigIgn:"),
                let mask = UInt64(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces), radix: 16)
            else { return false }
            return mask & bit != 0
        }
    }

    /// The last lines of its log.
    public func logTail(_ lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
