import Foundation

/// The TLS side of the private servers: `scripts/servers tls-enable` (once; later calls
/// change nothing) generates a test CA, adds an amqps listener for `localhost` to the
/// broker and turns ssl on in Postgres, then writes these values to the env file.
public struct TLSTestEnvironment: Sendable {
    /// `amqps://guest:guest@localhost:PORT/%2f`.
    public var amqpsURL: String
    public var amqpsPort: Int
    /// The CA that signed the servers' and the client's certificates.
    public var caFile: String
    /// A CA that signed nothing here: verification against it must fail.
    public var otherCAFile: String
    public var clientCertificateFile: String
    public var clientKeyFile: String
    /// `postgresql://…@localhost:PORT/itp?sslmode=verify-full&sslrootcert=CA`.
    public var databaseURL: String

    /// Turns TLS on (restarting the broker the first time: callers are `Disruptive…` suites).
    public static func enable(_ environment: TestEnvironment) throws -> TLSTestEnvironment {
        try environment.servers("tls-enable")
        guard let scratch = ProcessInfo.processInfo.environment["ITP_SCRATCH"] else {
            throw TestEnvironmentError("ITP_SCRATCH is not set: run the tests through scripts/test")
        }
        let values = try ExportsFile.read(scratch + "/env")
        func value(_ name: String) throws -> String {
            guard let value = values[name], !value.isEmpty else { throw TestEnvironmentError("\(name) missing from \(scratch)/env after tls-enable") }
            return value
        }
        guard let port = Int(try value("ITP_AMQPS_PORT")) else { throw TestEnvironmentError("ITP_AMQPS_PORT is not a number") }
        return TLSTestEnvironment(
            amqpsURL: try value("ITP_AMQPS_URL"), amqpsPort: port, caFile: try value("ITP_TLS_CA_FILE"),
            otherCAFile: try value("ITP_TLS_OTHER_CA_FILE"), clientCertificateFile: try value("ITP_TLS_CLIENT_CERT_FILE"),
            clientKeyFile: try value("ITP_TLS_CLIENT_KEY_FILE"), databaseURL: try value("ITP_DATABASE_TLS_URL"))
    }
}
