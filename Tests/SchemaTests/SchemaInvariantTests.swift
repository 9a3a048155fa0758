import FleetTesting
import Foundation
import Logging
import Postgres
import Testing
@testable import Schema

/// The invariants of DESIGN.md §4 are enforced by the schema itself: these tests write
/// rows that break them directly, bypassing all application code, and expect refusal.
@Suite struct SchemaInvariantTests {
    /// A migrated isolated schema with one owner and one product.
    struct Fixture {
        var connection: PostgresConnection
        var schema: String
        var owner: UUID
        var product: UUID

        init() throws {
            let (connection, schema, _) = try SchemaFixtures.isolatedConnection("invariants")
            self.connection = connection
            self.schema = schema
            let files = try MigrationFile.load(from: SchemaFixtures.migrationsDirectory)
            _ = try Migrator(files: files, logger: Logger(label: "test")).migrate(on: connection)
            owner = try connection.query("INSERT INTO owners (name) VALUES ('shop') RETURNING id").first!.decode(UUID.self, at: 0)
            product = try connection.query("""
                INSERT INTO products (owner_id, prompt, product_type, shirt_color)
                VALUES (\(owner), 'a fox in the snow', 'tshirt', 'black') RETURNING id
                """).first!.decode(UUID.self, at: 0)
        }

        func close() {
            connection.close()
            SchemaFixtures.drop(schema)
        }

        @discardableResult
        func insertDesign(candidate: Int, variant: String = "original", primary: Bool = false) throws -> UUID {
            try connection.query("""
                INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index,
                    is_primary_design, is_active, storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(product), 'design', \(variant)::asset_variant, 1, \(candidate), \(primary), \(primary),
                    \("designs/\(UUID())"), 'image/png', 1024, 1024, 1000, sha256(\(UUID().uuidString)::bytea))
                RETURNING id
                """).first!.decode(UUID.self, at: 0)
        }

        @discardableResult
        func insertMockup(role: String, source: UUID, active: Bool) throws -> UUID {
            try connection.query("""
                INSERT INTO product_assets (product_id, asset_role, source_asset_id, selection_version, is_active,
                    storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(product), \(role)::asset_role, \(source), 1, \(active),
                    \("mockups/\(UUID())"), 'image/png', 2000, 2000, 5000, sha256(\(UUID().uuidString)::bytea))
                RETURNING id
                """).first!.decode(UUID.self, at: 0)
        }
    }

    @Test func aSecondPrimaryDesignIsRefused() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        try fixture.insertDesign(candidate: 0, primary: true)
        let error = try #require(throws: PostgresError.self) { try fixture.insertDesign(candidate: 1, primary: true) }
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "assets_one_primary_design")
    }

    @Test func aSecondActiveFlatLayIsRefusedButAnInactiveOneIsFine() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let design = try fixture.insertDesign(candidate: 0, primary: true)
        try fixture.insertMockup(role: "mockup_flat_lay", source: design, active: true)
        try fixture.insertMockup(role: "mockup_flat_lay", source: design, active: false)
        try fixture.insertMockup(role: "mockup_mr_imagine", source: design, active: true)
        let error = try #require(throws: PostgresError.self) {
            try fixture.insertMockup(role: "mockup_flat_lay", source: design, active: true)
        }
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "assets_one_active_mockup")
    }

    @Test func aPrimaryDesignMustBeActiveAndADesign() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let inactivePrimary = try #require(throws: PostgresError.self) {
            try fixture.connection.query("""
                INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, is_primary_design, is_active,
                    storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(fixture.product), 'design', 'original', 1, 0, true, false, 'k1', 'image/png', 1, 1, 1, sha256('x'::bytea))
                """)
        }
        #expect(inactivePrimary.sqlState == "23514")
        // An inactive primary design breaks two checks; the server names whichever it tests first.
        #expect(["assets_primary_is_active_design", "assets_design_active_only_as_primary"].contains(inactivePrimary.constraint ?? ""))

        let design = try fixture.insertDesign(candidate: 0)
        let primaryMockup = try #require(throws: PostgresError.self) {
            try fixture.connection.query("""
                INSERT INTO product_assets (product_id, asset_role, source_asset_id, selection_version, is_primary_design, is_active,
                    storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(fixture.product), 'mockup_flat_lay', \(design), 1, true, true, 'k2', 'image/png', 1, 1, 1, sha256('y'::bytea))
                """)
        }
        #expect(primaryMockup.sqlState == "23514")
        #expect(primaryMockup.constraint == "assets_primary_is_active_design")
    }

    @Test func aJobCreatesAtMostOneAssetPerCandidateAndVariant() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let job = try fixture.connection.query("""
            INSERT INTO jobs (kind, queue, product_id, payload) VALUES ('design.generate', 'design.generate', \(fixture.product), '{}') RETURNING id
            """).first!.decode(UUID.self, at: 0)
        func insert(candidate: Int, variant: String) throws {
            try fixture.connection.query("""
                INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, job_id,
                    storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(fixture.product), 'design', \(variant)::asset_variant, 1, \(candidate), \(job),
                    \("d/\(UUID())"), 'image/png', 1, 1, 1, sha256(\(UUID().uuidString)::bytea))
                """)
        }
        try insert(candidate: 0, variant: "original")
        try insert(candidate: 0, variant: "dtf")
        try insert(candidate: 1, variant: "original")
        let duplicate = try #require(throws: PostgresError.self) { try insert(candidate: 0, variant: "dtf") }
        #expect(duplicate.constraint == "assets_one_per_job_candidate_variant")
    }

    @Test func creditsCannotGoNegativeOrBeSettledTwice() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let connection = fixture.connection
        try connection.execute("INSERT INTO credit_ledger (owner_id, kind, amount) VALUES (\(fixture.owner), 'grant', 3)")
        let reservation = UUID()
        try connection.execute("""
            INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
            VALUES (\(fixture.owner), \(fixture.product), \(reservation), 'reserve', 2)
            """)
        func balance() throws -> Int {
            try connection.query("SELECT balance FROM credit_accounts WHERE owner_id = \(fixture.owner)").first!.decode(Int.self, at: 0)
        }
        #expect(try balance() == 1)

        let overdraft = try #require(throws: PostgresError.self) {
            try connection.execute("""
                INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
                VALUES (\(fixture.owner), \(fixture.product), \(UUID()), 'reserve', 2)
                """)
        }
        #expect(overdraft.sqlState == "23514")
        #expect(try balance() == 1)

        try connection.execute("""
            INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
            VALUES (\(fixture.owner), \(fixture.product), \(reservation), 'consume', 2)
            """)
        for kind in ["consume", "refund"] {
            let twice = try #require(throws: PostgresError.self) {
                try connection.execute("""
                    INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
                    VALUES (\(fixture.owner), \(fixture.product), \(reservation), \(kind)::ledger_entry_kind, 2)
                    """)
            }
            #expect(twice.constraint == "ledger_one_settlement")
        }
        #expect(try balance() == 1)

        let rewrite = try #require(throws: PostgresError.self) {
            try connection.execute("UPDATE credit_ledger SET amount = 1")
        }
        #expect(rewrite.sqlState == "42501")
    }
}
