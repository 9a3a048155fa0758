import FleetTesting
import Foundation
import Postgres
import Testing

@Suite struct ConnectionTests {
    /// Where the test server really is, read back from a connection made with the URL.
    private struct Server {
        var host: String, port: String, database: String, user: String
    }

    private func server() throws -> Server {
        let connection = try PostgresConnection.connect(try TestEnvironment.require().databaseURL)
        defer { connection.close() }
        return Server(
            host: try #require(connection.host), port: try #require(connection.port),
            database: try #require(connection.database), user: try #require(connection.user))
    }

    @Test func connectsWithURL() throws {
        let connection = try PostgresConnection.connect(try TestEnvironment.require().databaseURL)
        defer { connection.close() }
        #expect(connection.isConnected)
        #expect(try connection.query("SELECT 1").first?.decode(Int.self, at: 0) == 1)
    }

    @Test func connectsWithKeyValueConninfo() throws {
        let server = try server()
        let connection = try PostgresConnection.connect(
            "host=\(server.host) port=\(server.port) dbname=\(server.database) user=\(server.user) application_name='itp test'")
        defer { connection.close() }
        let name = try connection.query("SELECT current_setting('application_name')")[0].decode(String.self, at: 0)
        #expect(name == "itp test")
    }

    @Test func multiHostKeyValueSkipsDeadHostForReadWriteSession() throws {
        let server = try server()
        let dead = try freeLoopbackPort()
        let connection = try PostgresConnection.connect(
            "host=\(server.host),\(server.host) port=\(dead),\(server.port) dbname=\(server.database) "
                + "user=\(server.user) target_session_attrs=read-write connect_timeout=10")
        defer { connection.close() }
        #expect(connection.port == server.port)
        #expect(try connection.query("SELECT pg_is_in_recovery()")[0].decode(Bool.self, at: 0) == false)
    }

    @Test func multiHostURLSkipsDeadHostForReadWriteSession() throws {
        let server = try server()
        let dead = try freeLoopbackPort()
        let connection = try PostgresConnection.connect(
            "postgresql://\(server.user)@\(server.host):\(dead),\(server.host):\(server.port)/\(server.database)"
                + "?target_session_attrs=read-write&connect_timeout=10")
        defer { connection.close() }
        #expect(connection.port == server.port)
    }

    @Test func unreachableServerIsAConnectionFailure() throws {
        let server = try server()
        let dead = try freeLoopbackPort()
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection.connect("host=\(server.host) port=\(dead) dbname=x user=x connect_timeout=10")
        }
        #expect(error.code == .connectionFailed)
        #expect(error.isConnectionFailure)
        #expect(error.description == "could not connect to the database")
        #expect(error.serverMessage?.isEmpty == false)
    }

    @Test func closeIsIdempotentAndLaterCallsFail() throws {
        let connection = try PostgresConnection.connect(try TestEnvironment.require().databaseURL)
        connection.close()
        connection.close()
        #expect(!connection.isConnected)
        let error = try #require(throws: PostgresError.self) { try connection.query("SELECT 1") }
        #expect(error.code == .connectionClosed)
    }

    @Test func serverNoticesDoNotBreakStatements() throws {
        try ScratchSchema.with { connection, _ in
            // Emits a NOTICE ("does not exist, skipping"), which goes to the logger.
            try connection.execute("DROP TABLE IF EXISTS missing_table")
            try connection.simpleQuery("DO $$ BEGIN RAISE WARNING 'just a warning'; END $$")
        }
    }
}
