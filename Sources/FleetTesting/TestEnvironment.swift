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
    public func servers(_ arguments: String...) throws {
        try ProcessRunner.run(serversScript, arguments)
    }
}

public struct TestEnvironmentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
