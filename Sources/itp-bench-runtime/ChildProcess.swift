import Foundation

/// A spawned worker or baseline consumer, its output in a log file.
final class ChildProcess: @unchecked Sendable {
    // `process` is only touched from the harness's sequential scenario code.
    private let process = Process()
    let logURL: URL

    init(executable: String, arguments: [String], logURL: URL) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        self.logURL = logURL
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    /// SIGTERM to all at once (the graceful drain), SIGKILL to those still running after
    /// `grace`. Outside the clock, but it keeps one scenario's processes from eating the
    /// next one's CPU.
    static func stopAll(_ processes: [ChildProcess], grace: Duration = .seconds(20)) async {
        for child in processes where child.process.isRunning { kill(child.process.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while processes.contains(where: \.process.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for child in processes where child.process.isRunning {
            kill(child.process.processIdentifier, SIGKILL)
            child.process.waitUntilExit()
        }
    }

    /// The last lines of the log, for a failure message.
    func logTail(lines: Int = 15) -> String {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
