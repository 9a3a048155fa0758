import FleetTesting
import Foundation
import Logging
import Postgres
import Testing
@testable import Schema

@Suite struct MigratorTests {
    let logger = Logger(label: "test.migrator")

    @Test func migratingTwiceIsANoOp() throws {
        let (connection, schema, _) = try SchemaFixtures.isolatedConnection()
        defer { connection.close(); SchemaFixtures.drop(schema) }
        let files = try MigrationFile.load(from: SchemaFixtures.migrationsDirectory)
        let migrator = Migrator(files: files, logger: logger)

        let first = try migrator.migrate(on: connection)
        #expect(first.applied.map(\.name) == files.map(\.name))
        #expect(first.alreadyApplied.isEmpty)

        let second = try migrator.migrate(on: connection)
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == files.map(\.name))
        #expect(second.summary.first?.hasPrefix("nothing to apply") == true)

        let recorded = try connection.query("SELECT count(*) FROM schema_migrations").first?.decode(Int.self, at: 0)
        #expect(recorded == files.count)
        // The schema really is there, in this test's schema.
        let tables = try connection.query("""
            SELECT count(*) FROM information_schema.tables
            WHERE table_schema = \(schema) AND table_name IN ('products', 'product_assets', 'jobs', 'outbox', 'dead_letters', 'credit_ledger', 'credit_accounts', 'api_keys')
            """).first?.decode(Int.self, at: 0)
        #expect(tables == 8)
    }

    @Test func aFailingFileRollsBackAndNamesFileAndStatement() throws {
        let (connection, schema, _) = try SchemaFixtures.isolatedConnection()
        defer { connection.close(); SchemaFixtures.drop(schema) }
        let directory = try SchemaFixtures.directory(with: [
            "0001_good.sql": "CREATE TABLE good (id int);\n",
            "0002_bad.sql": "CREATE TABLE half (id int);\n\n-- the next one fails\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE never (id int);\n",
        ])
        let migrator = Migrator(files: try MigrationFile.load(from: directory), logger: logger)

        let error = try #require(throws: MigrationError.self) { try migrator.migrate(on: connection) }
        #expect(error.code == .statementFailed)
        #expect(error.file == "0002_bad.sql")
        #expect(error.statementNumber == 2)
        #expect(error.line == 4)
        #expect(error.sqlState == "42P01")
        #expect(error.description.contains("0002_bad.sql"))
        #expect(error.description.contains("statement 2"))
        #expect(error.description.contains("INSERT INTO missing_table"))

        // 0001 stayed applied; nothing of 0002 survived.
        let names = try connection.query("SELECT name FROM schema_migrations ORDER BY version").map { try $0.decode(String.self, at: 0) }
        #expect(names == ["0001_good.sql"])
        let half = try connection.query("SELECT to_regclass('half') IS NULL").first?.decode(Bool.self, at: 0)
        #expect(half == true)
    }

    @Test func anEditedAppliedFileIsRefused() throws {
        let (connection, schema, _) = try SchemaFixtures.isolatedConnection()
        defer { connection.close(); SchemaFixtures.drop(schema) }
        let original = MigrationFile(version: 1, name: "0001_a.sql", sql: "CREATE TABLE a (id int);")
        _ = try Migrator(files: [original], logger: logger).migrate(on: connection)

        var edited = original
        edited.sql = "CREATE TABLE a (id bigint);"
        let error = try #require(throws: MigrationError.self) {
            try Migrator(files: [edited], logger: logger).migrate(on: connection)
        }
        #expect(error.code == .changedAfterApply)
        #expect(error.description.contains("0001_a.sql"))
    }

    @Test func aDatabaseNewerThanTheBuildIsRefused() throws {
        let (connection, schema, _) = try SchemaFixtures.isolatedConnection()
        defer { connection.close(); SchemaFixtures.drop(schema) }
        let files = [
            MigrationFile(version: 1, name: "0001_a.sql", sql: "CREATE TABLE a (id int);"),
            MigrationFile(version: 2, name: "0002_b.sql", sql: "CREATE TABLE b (id int);"),
        ]
        _ = try Migrator(files: files, logger: logger).migrate(on: connection)
        let error = try #require(throws: MigrationError.self) {
            try Migrator(files: [files[0]], logger: logger).migrate(on: connection)
        }
        #expect(error.code == .unknownVersionApplied)
    }

    @Test func concurrentMigratorsApplyEachFileOnce() async throws {
        let (connection, schema, conninfo) = try SchemaFixtures.isolatedConnection()
        defer { connection.close(); SchemaFixtures.drop(schema) }
        let files = try MigrationFile.load(from: SchemaFixtures.migrationsDirectory)
        let logger = self.logger

        // Four deployers at once, each on its own connection and thread.
        let reports = try await withThrowingTaskGroup(of: MigrationReport.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await offPool {
                        let own = try PostgresConnection.connect(conninfo)
                        defer { own.close() }
                        return try Migrator(files: files, logger: logger).migrate(on: own)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let appliedCounts = reports.map(\.applied.count).sorted()
        #expect(appliedCounts == [0, 0, 0, files.count])
        let recorded = try connection.query("SELECT count(*) FROM schema_migrations").first?.decode(Int.self, at: 0)
        #expect(recorded == files.count)
    }

    @Test func badFileNamesAreRefused() throws {
        let directory = try SchemaFixtures.directory(with: ["initial.sql": "SELECT 1;"])
        let error = try #require(throws: MigrationError.self) { try MigrationFile.load(from: directory) }
        #expect(error.code == .badFileName)
        let clash = try SchemaFixtures.directory(with: ["0001_a.sql": "SELECT 1;", "1_b.sql": "SELECT 1;"])
        let clashError = try #require(throws: MigrationError.self) { try MigrationFile.load(from: clash) }
        #expect(clashError.description.contains("share version 1"))
    }
}
