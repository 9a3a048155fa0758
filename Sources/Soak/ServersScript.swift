import Foundation

/// Runs `scripts/servers <subcommand>` (broker-stop --kill, postgres-start, …) the way
/// FleetTesting's `TestEnvironment.servers` does: with every descriptor above 2 closed
/// and output to a log, since a broker it starts would otherwise inherit our pipes.
struct ServersScript: Sendable {
    let path: String
    let log: String

    func run(_ arguments: String...) throws { try run(arguments) }

    /// ``run(_:)-([String])`` on a thread of its own, never blocking the concurrency pool.
    func runOffPool(_ arguments: [String]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try run(arguments) }) }
        }
    }

    func run(_ arguments: [String]) throws {
        let closeAndRun = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; "#
            + #"exec "$0" "$@" </dev/null >>"$ITP_SERVERS_LOG" 2>&1"#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", closeAndRun, path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ITP_SERVERS_LOG"] = log
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Storefront.CallError(description: "scripts/servers \(arguments.joined(separator: " ")) exited \(process.terminationStatus) (log: \(log))")
        }
    }
}
