public import Foundation
import Logging
import Postgres
import Schema

/// A fresh Postgres schema with `migrations/` applied: each test's own database world,
/// isolated by construction (its connections' `search_path` is that schema).
public struct MigratedSchema: Sendable {
    public let name: String
    /// A connection string for this schema.
    public let conninfo: String
    private let adminConninfo: String

    /// `<repo>/migrations`, found from this file's location.
    public static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations")

    /// The file names in `migrations/`, in the order they apply (the last is what a migrated
    /// schema is at).
    public static func migrationNames() throws -> [String] {
        try MigrationFile.load(from: migrationsDirectory).map(\.name)
    }

    /// Creates the schema (named `<prefix>_<random>`) and migrates it, on a thread of its
    /// own: migrating blocks on libpq for up to seconds on a loaded machine, and fixtures
    /// that did it on the two-thread concurrency pool at the start of the parallel phase
    /// starved every other test (see ``ProcessRunner``).
    /// `databaseURL` defaults to the private Postgres (`ITP_DATABASE_URL`).
    public static func create(_ prefix: String, databaseURL: String? = nil) async throws -> MigratedSchema {
        try await offPool { try createBlocking(prefix, databaseURL: databaseURL) }
    }

    /// ``create(_:)`` on the calling thread: never from the concurrency pool.
    public static func createBlocking(_ prefix: String, databaseURL: String? = nil) throws -> MigratedSchema {
        let adminURL = try databaseURL ?? TestEnvironment.require().databaseURL
        let name = uniqueName(prefix)
        let admin = try PostgresConnection.connect(adminURL)
        defer { admin.close() }
        try admin.simpleQuery("CREATE SCHEMA \(name)")
        let conninfo = IsolatedSchema.conninfo(adminURL, schema: name)
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        var logger = Logger(label: "test.migrate")
        logger.logLevel = .warning
        _ = try Migrator(files: try MigrationFile.load(from: migrationsDirectory), logger: logger).migrate(on: connection)
        return MigratedSchema(name: name, conninfo: conninfo, adminConninfo: adminURL)
    }

    /// Drops the schema and everything in it.
    public func drop() {
        guard let admin = try? PostgresConnection.connect(adminConninfo) else { return }
        defer { admin.close() }
        _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(name) CASCADE")
    }
}
