import Foundation

/// A Postgres primary with a synchronous streaming standby beside the private Postgres
/// (`scripts/servers pgpair-start`), and the multi-host URL libpq fails over with
/// (`target_session_attrs=read-write`). For `Disruptive…` suites: tests kill its primary.
public struct PostgresPairTestEnvironment: Sendable {
    /// `postgresql://postgres@127.0.0.1:P1,127.0.0.1:P2/itp?target_session_attrs=read-write&connect_timeout=2`.
    public var databaseURL: String
    public let environment: TestEnvironment

    public static func start(_ environment: TestEnvironment) throws -> PostgresPairTestEnvironment {
        try environment.servers("pgpair-start")
        guard let scratch = ProcessInfo.processInfo.environment["ITP_SCRATCH"] else {
            throw TestEnvironmentError("ITP_SCRATCH is not set: run the tests through scripts/test")
        }
        guard let url = try ExportsFile.read(scratch + "/pgpair/env")["ITP_PGPAIR_URL"] else {
            throw TestEnvironmentError("ITP_PGPAIR_URL missing from \(scratch)/pgpair/env")
        }
        return PostgresPairTestEnvironment(databaseURL: url, environment: environment)
    }

    /// kill -9 of the primary's postmaster, then the standby is promoted.
    public func failover() throws {
        try environment.servers("pgpair-failover")
    }

    public func stop() throws {
        try environment.servers("pgpair-stop")
    }
}
