import FleetTesting
import Foundation
import Postgres

/// Locations and connections the schema tests share.
enum SchemaFixtures {
    /// `<repo>/migrations`, found from this source file's location.
    static var migrationsDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("migrations")
    }

    /// A new, empty schema and a connection whose search_path is that schema. The schema
    /// is dropped by `drop(_:)`.
    static func isolatedConnection(_ prefix: String = "schema_test") throws -> (PostgresConnection, String, String) {
        let env = try TestEnvironment.require()
        let schema = uniqueName(prefix)
        let admin = try PostgresConnection.connect(env.databaseURL)
        defer { admin.close() }
        try admin.simpleQuery("CREATE SCHEMA \(schema)")
        let conninfo = IsolatedSchema.conninfo(env.databaseURL, schema: schema)
        return (try PostgresConnection.connect(conninfo), schema, conninfo)
    }

    static func drop(_ schema: String) {
        guard let env = try? TestEnvironment.require(), let admin = try? PostgresConnection.connect(env.databaseURL) else { return }
        defer { admin.close() }
        _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }

    /// Writes migration files into a fresh temporary directory.
    static func directory(with files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("migrations"))
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, sql) in files {
            try Data(sql.utf8).write(to: url.appendingPathComponent(name))
        }
        return url
    }
}
