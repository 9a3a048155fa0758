import FleetTesting
import Foundation
import Logging
import Postgres
import Schema

/// A migrated schema of its own with one owner (10 credits), one product in a chosen state,
/// and helpers to add the rows that workers would have written.
final class SettlementFixture: Sendable {
    let schema: String
    let database: PostgresClient
    let owner: UUID
    let product: UUID

    static func make(status: String = "generating_mockups", reserved: Int = 2) async throws -> SettlementFixture {
        let migrated = try await MigratedSchema.create("fin")
        let schema = migrated.name
        let database = PostgresClient(conninfo: migrated.conninfo, maxConnections: 2, logger: Logger(label: "test.fin"))
        let (owner, product) = try await database.withConnection { connection in
            let owner = try connection.query("INSERT INTO owners (name) VALUES ('shop') RETURNING id")[0].decode(UUID.self, at: 0)
            try connection.execute("INSERT INTO credit_ledger (owner_id, kind, amount) VALUES (\(owner), 'grant', 10)")
            let product = try connection.query("""
                INSERT INTO products (owner_id, prompt, product_type, shirt_color, status, selection_version, iteration)
                VALUES (\(owner), 'a fox', 'tshirt', 'black', \(status)::product_status, 1, 1) RETURNING id
                """)[0].decode(UUID.self, at: 0)
            for _ in 0..<reserved {
                try connection.execute("""
                    INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
                    VALUES (\(owner), \(product), gen_random_uuid(), 'reserve', 1)
                    """)
            }
            return (owner, product)
        }
        return SettlementFixture(schema: schema, database: database, owner: owner, product: product)
    }

    private init(schema: String, database: PostgresClient, owner: UUID, product: UUID) {
        self.schema = schema
        self.database = database
        self.owner = owner
        self.product = product
    }

    func tearDown() async {
        await database.shutdown()
        if let env = try? TestEnvironment.require(), let admin = try? PostgresConnection.connect(env.databaseURL) {
            _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            admin.close()
        }
    }

    func job(kind: String, state: String, iteration: Int? = 1, selection: Int? = 1, error: String? = nil) async throws {
        let product = self.product
        try await database.withConnection { connection in
            try connection.execute("""
                INSERT INTO jobs (kind, queue, product_id, payload, state, iteration, selection_version, last_error, error_class, finished_at)
                VALUES (\(kind), \(kind), \(product), '{}', \(state)::job_state, \(iteration), \(selection), \(error),
                        CASE WHEN \(error)::text IS NULL THEN NULL ELSE 'permanent'::error_class END,
                        CASE WHEN \(state) IN ('succeeded', 'dead', 'cancelled', 'superseded') THEN now() END)
                """)
        }
    }

    @discardableResult
    func primaryDesign() async throws -> UUID {
        let product = self.product
        return try await database.withConnection { connection in
            try connection.query("""
                INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, is_primary_design, is_active,
                    storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(product), 'design', 'original', 1, 0, true, true, \("d/\(UUID())"), 'image/png', 10, 10, 10,
                    sha256(\(UUID().uuidString)::bytea)) RETURNING id
                """)[0].decode(UUID.self, at: 0)
        }
    }

    /// `designHash`: the `template_info.design_sha256` recorded; by default the source's own.
    func mockup(_ role: String, source: UUID, selection: Int = 1, active: Bool = true, failed: Bool = false,
                designHash: String? = nil) async throws {
        let product = self.product
        try await database.withConnection { connection in
            if failed {
                try connection.execute("""
                    INSERT INTO product_assets (product_id, asset_role, source_asset_id, selection_version, is_active,
                        generation_status, error_status, error_message)
                    VALUES (\(product), \(role)::asset_role, \(source), \(selection), false, 'failed', 'permanent', 'renderer gave up')
                    """)
            } else {
                try connection.execute("""
                    INSERT INTO product_assets (product_id, asset_role, source_asset_id, selection_version, is_active,
                        storage_key, content_type, width, height, byte_size, sha256, template_info)
                    VALUES (\(product), \(role)::asset_role, \(source), \(selection), \(active), \("m/\(UUID())"), 'image/png',
                        10, 10, 10, sha256(\(UUID().uuidString)::bytea),
                        jsonb_build_object('design_sha256', COALESCE(\(designHash)::text,
                            (SELECT encode(sha256, 'hex') FROM product_assets WHERE id = \(source)))))
                    """)
            }
        }
    }

    func status() async throws -> String {
        let product = self.product
        return try await database.withConnection { try $0.query("SELECT status::text FROM products WHERE id = \(product)")[0].decode(String.self, at: 0) }
    }

    func ledgerCount(_ kind: String) async throws -> Int {
        let product = self.product
        return try await database.withConnection {
            try $0.query("SELECT count(*) FROM credit_ledger WHERE product_id = \(product) AND kind = \(kind)::ledger_entry_kind")[0].decode(Int.self, at: 0)
        }
    }

    func balance() async throws -> Int {
        let owner = self.owner
        return try await database.withConnection { try $0.query("SELECT balance FROM credit_accounts WHERE owner_id = \(owner)")[0].decode(Int.self, at: 0) }
    }
}
