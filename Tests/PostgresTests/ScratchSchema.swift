import FleetTesting
import Postgres

/// A schema of the test's own, created with a unique name and dropped afterwards; its
/// connections have it as `search_path`, so tests use plain table names and never meet.
struct ScratchSchema {
    let name: String
    let conninfo: String

    func connect() throws -> PostgresConnection {
        try PostgresConnection.connect(conninfo)
    }

    /// Runs `body` with a connection inside a fresh schema.
    static func with<T>(_ body: (PostgresConnection, ScratchSchema) throws -> T) throws -> T {
        let (scratch, admin) = try create()
        defer { drop(scratch, admin) }
        let connection = try scratch.connect()
        defer { connection.close() }
        return try body(connection, scratch)
    }

    /// The async flavour, for tests of ``PostgresClient``.
    static func with<T>(_ body: (ScratchSchema) async throws -> T) async throws -> T {
        let (scratch, admin) = try create()
        defer { drop(scratch, admin) }
        return try await body(scratch)
    }

    private static func create() throws -> (ScratchSchema, PostgresConnection) {
        let environment = try TestEnvironment.require()
        let name = uniqueName("pgtest")
        let admin = try PostgresConnection.connect(environment.databaseURL)
        try admin.execute("CREATE SCHEMA \(identifier: name)")
        return (ScratchSchema(name: name, conninfo: IsolatedSchema.conninfo(environment.databaseURL, schema: name)), admin)
    }

    private static func drop(_ scratch: ScratchSchema, _ admin: PostgresConnection) {
        _ = try? admin.execute("DROP SCHEMA \(identifier: scratch.name) CASCADE")
        admin.close()
    }
}
