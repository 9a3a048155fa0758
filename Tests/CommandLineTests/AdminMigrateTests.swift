import FleetTesting
import Foundation
import Postgres
import Testing

/// `itp-admin migrate` run as the built binary against the real database.
@Suite struct AdminMigrateTests {
    @Test func migrateAppliesThenIsANoOpAndStatusShowsTheSchema() async throws {
        let env = try TestEnvironment.require()
        let schema = uniqueName("admin_migrate")
        let admin = try PostgresConnection.connect(env.databaseURL)
        defer {
            _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            admin.close()
        }
        try admin.simpleQuery("CREATE SCHEMA \(schema)")
        let url = IsolatedSchema.conninfo(env.databaseURL, schema: schema)
        let binary = try BuiltProducts.path("itp-admin")

        let first = try await ProcessRunner.capture(binary, ["migrate", "--database-url", url])
        #expect(first.status == 0, "\(first.stderr)")
        let migrations = try MigratedSchema.migrationNames()
        for name in migrations {
            #expect(first.stdout.contains("applied \(name)"), "\(first.stdout)")
        }

        let second = try await ProcessRunner.capture(binary, ["migrate", "--database-url", url])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("nothing to apply"))

        let listing = try await ProcessRunner.capture(binary, ["migrate", "--status", "--database-url", url])
        #expect(listing.stdout.contains("applied  0001_initial.sql"))

        let status = try await ProcessRunner.capture(binary, ["status", "--database-url", url, "--amqp-url", env.amqpURL])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("schema: \(try #require(migrations.last))"), "\(status.stdout)")
        #expect(status.stdout.contains("products by status: none"))
    }

    @Test func aFailingMigrationExitsNonZeroNamingFileAndStatement() async throws {
        let env = try TestEnvironment.require()
        let schema = uniqueName("admin_fail")
        let admin = try PostgresConnection.connect(env.databaseURL)
        defer {
            _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            admin.close()
        }
        try admin.simpleQuery("CREATE SCHEMA \(schema)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("mig"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("CREATE TABLE t (id int);\nCREATE TABLE t (id int);\n".utf8).write(to: directory.appendingPathComponent("0001_dup.sql"))

        let output = try await ProcessRunner.capture(
            try BuiltProducts.path("itp-admin"),
            ["migrate", "--database-url", IsolatedSchema.conninfo(env.databaseURL, schema: schema), "--migrations-dir", directory.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("0001_dup.sql"))
        #expect(output.stderr.contains("statement 2"))
        #expect(output.stderr.contains("42P07"))
    }

    @Test func anUnreachableDatabaseExits69() async throws {
        let output = try await ProcessRunner.capture(
            try BuiltProducts.path("itp-admin"), ["migrate", "--database-url", "postgresql://postgres@127.0.0.1:1/itp?connect_timeout=2"])
        #expect(output.status == 69)
        #expect(output.stderr.contains("database unreachable"))
    }
}
