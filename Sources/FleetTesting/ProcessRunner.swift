import Foundation

/// Runs a child process to completion and captures its output.
///
/// The async forms wait on a thread of their own: a test that waited for a child on the
/// Swift concurrency pool (two threads on this machine) held a pool thread for the child's
/// whole run, and a handful of such tests starting at once starved every other test of the
/// parallel phase for tens of seconds (`cancellingMidTransferAbortsIt` saw its request
/// start only after its 20 s deadline at load 13).
public enum ProcessRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` and throws when it exits non-zero.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) async throws -> Output {
        try await offPool { try runBlocking(executable, arguments, environment: environment) }
    }

    /// Runs `executable` and returns its status and output whatever the status.
    public static func capture(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) async throws -> Output {
        try await offPool { try captureBlocking(executable, arguments, environment: environment) }
    }

    /// ``run(_:_:environment:)`` on the calling thread: never from the concurrency pool.
    @discardableResult
    public static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let output = try captureBlocking(executable, arguments, environment: environment)
        guard output.status == 0 else {
            throw TestEnvironmentError("\(executable) \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output
    }

    /// ``capture(_:_:environment:)`` on the calling thread: never from the concurrency pool.
    public static func captureBlocking(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a chatty child cannot fill the pipe and block.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
