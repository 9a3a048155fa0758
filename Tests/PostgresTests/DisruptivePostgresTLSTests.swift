import FleetTesting
import Foundation
import Postgres
import Testing

/// Postgres over libpq's own TLS (`sslmode=verify-full` with the test CA): nothing in our
/// code handles certificates, the connection string does. Disruptive because
/// `scripts/servers tls-enable` restarts the broker the first time.
@Suite(.serialized) struct DisruptivePostgresTLSTests {
    @Test func verifyFullConnectsOverTLS() throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        #expect(tls.databaseURL.contains("sslmode=verify-full"))
        let connection = try PostgresConnection.connect(tls.databaseURL)
        defer { connection.close() }
        let row = try #require(try connection.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first)
        #expect(try row.decode(Bool.self, at: 0))
        #expect(try row.decode(String.self, at: 1).hasPrefix("TLSv1"))
    }

    @Test func verifyFullRefusesAServerTheCADidNotSign() throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        let wrong = tls.databaseURL.replacingOccurrences(of: "sslrootcert=\(tls.caFile)", with: "sslrootcert=\(tls.otherCAFile)")
        #expect(wrong != tls.databaseURL)
        let error = #expect(throws: PostgresError.self) { try PostgresConnection.connect(wrong) }
        #expect("\(String(reflecting: error))".contains("certificate verify failed"), "\(String(reflecting: error))")
    }
}
