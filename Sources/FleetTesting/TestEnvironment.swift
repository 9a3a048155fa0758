import Foundation

/// Where the private servers started by `scripts/servers` live, read from the environment
/// that `scripts/test` exports (`ITP_DATABASE_URL`, `ITP_AMQP_URL`, `ITP_TEST_SERVERS_SCRIPT`).
///
/// Tests that need a server call ``require()``: a missing setting is a failure that says
/// how to start the servers, never a silent skip.
public struct TestEnvironment: Sendable {
    public var databaseURL: String
    public var amqpURL: String
    /// Path of `scripts/servers`, used by tests that restart or stall a server.
    public var serversScript: String

    public static func require() throws -> TestEnvironment {
        let env = ProcessInfo.processInfo.environment
        func value(_ name: String) throws -> String {
            guard let value = env[name], !value.isEmpty else {
                throw TestEnvironmentError(
                    "\(name) is not set: run the tests through scripts/test, which starts private servers")
            }
            return value
        }
        return TestEnvironment(
            databaseURL: try value("ITP_DATABASE_URL"),
            amqpURL: try value("ITP_AMQP_URL"),
            serversScript: try value("ITP_TEST_SERVERS_SCRIPT")
        )
    }

    /// Runs `scripts/servers <arguments>` (for example `broker-stop --kill`) and waits for it.
    ///
    /// Not through `Process` with pipes: a broker started by the script inherits the pipe,
    /// so reading it to EOF would wait for the broker to exit. The script runs with every
    /// descriptor above 2 closed and its output in a log file.
    public func servers(_ arguments: String...) throws {
        let log = "/tmp/itp-servers-\(getpid()).log"
        let closeAndRun = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; "#
            + #"exec "$0" "$@" </dev/null >>"$ITP_SERVERS_LOG" 2>&1"#
        setenv("ITP_SERVERS_LOG", log, 1)
        let status = system("bash -c '\(closeAndRun)' '\(serversScript)' \(arguments.joined(separator: " "))")
        guard status == 0 else {
            let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(1500) ?? ""
            throw TestEnvironmentError("scripts/servers \(arguments.joined(separator: " ")) exited with status \(status): \(tail)")
        }
    }
}

public struct TestEnvironmentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
