import Foundation
import Logging
import Postgres
import Schema

/// A fresh schema for one scenario, so every scenario starts from empty tables and no
/// scenario sees another's rows. Selected through the connection's `search_path`.
struct BenchSchema: Sendable {
    let name: String
    /// The database URL with `search_path` set to this schema.
    let conninfo: String

    /// Creates the schema, applies `migrations`, then runs `extraSQL` in it (the baseline
    /// needs only its inbox table).
    static func create(
        databaseURL: String, label: String, migrations: [MigrationFile], extraSQL: String? = nil, logger: Logger
    ) async throws -> BenchSchema {
        let name = "bench_\(label)_\(UInt32.random(in: 0...UInt32.max))"
        let schema = BenchSchema(name: name, conninfo: searchPath(databaseURL, schema: name))
        try await onOwnThread(databaseURL, logger: logger) { try $0.simpleQuery("CREATE SCHEMA \(name)") }
        try await onOwnThread(schema.conninfo, logger: logger) { connection in
            if !migrations.isEmpty {
                _ = try Migrator(files: migrations, logger: logger).migrate(on: connection)
            }
            if let extraSQL { try connection.simpleQuery(extraSQL) }
        }
        return schema
    }

    func drop(databaseURL: String, logger: Logger) async {
        let name = self.name
        try? await Self.onOwnThread(databaseURL, logger: logger) { try $0.simpleQuery("DROP SCHEMA IF EXISTS \(name) CASCADE") }
    }

    /// One short-lived connection, used on its own queue (blocking libpq stays off the
    /// cooperative pool).
    private static func onOwnThread(
        _ conninfo: String, logger: Logger, _ body: @escaping @Sendable (PostgresConnection) throws -> Void
    ) async throws {
        let client = PostgresClient(conninfo: conninfo, maxConnections: 1, logger: logger)
        do {
            try await client.withConnection(body)
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Same rule as FleetTesting's `IsolatedSchema` (which a shipped executable must not use).
    private static func searchPath(_ conninfo: String, schema: String) -> String {
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
            let separator = conninfo.contains("?") ? "&" : "?"
            return conninfo + separator + "options=-csearch_path%3D" + schema
        }
        return conninfo + " options='-csearch_path=\(schema)'"
    }
}
