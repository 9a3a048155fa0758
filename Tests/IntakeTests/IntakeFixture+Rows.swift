import FleetTesting
import Foundation
import Postgres
import Storage

/// Rows the other processes would write (owners and keys, design and mockup assets),
/// made directly so each test sets up exactly the state it needs.
extension IntakeFixture {
    struct Owner: Sendable {
        var id: UUID
        var key: String
        var prefix: String
        var authorization: String { "Bearer \(key)" }
    }

    /// An owner with one API key and `credits` granted.
    func makeOwner(credits: Int = 10) async throws -> Owner {
        let name = uniqueName("owner")
        let prefix = String(uniqueName("k").replacingOccurrences(of: "_", with: "").prefix(12))
        let secret = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let id = try await database.withTransaction { connection in
            let id = try connection.query("INSERT INTO owners (name) VALUES (\(name)) RETURNING id")[0].decode(UUID.self, at: 0)
            try connection.execute("""
                INSERT INTO api_keys (owner_id, prefix, secret_sha256) VALUES (\(id), \(prefix), sha256(convert_to(\(secret), 'UTF8')))
                """)
            if credits > 0 {
                try connection.execute("INSERT INTO credit_ledger (owner_id, kind, amount) VALUES (\(id), 'grant', \(credits))")
            }
            return id
        }
        return Owner(id: id, key: "itp_\(prefix)_\(secret)", prefix: prefix)
    }

    func count(_ sql: SQL) async throws -> Int {
        try await database.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }

    func value<T: PostgresDecodable & Sendable>(_ type: T.Type, _ sql: SQL) async throws -> T {
        try await database.withConnection { try $0.query(sql)[0].decode(T.self, at: 0) }
    }

    func execute(_ sql: SQL) async throws {
        try await database.withConnection { try $0.execute(sql) }
    }

    func balance(_ owner: Owner) async throws -> Int {
        try await value(Int.self, "SELECT balance::int FROM credit_accounts WHERE owner_id = \(owner.id)")
    }

    /// Makes the design worker's rows directly: `candidates` × 3 variants of `iteration`,
    /// inactive and pending selection, with blobs in storage; the product moves to
    /// `awaiting_selection`. Returns the asset ids by candidate, variants in order
    /// original, dtf, background_removed.
    @discardableResult
    func seedDesigns(_ product: UUID, iteration: Int = 1, candidates: Int = 2) async throws -> [[UUID]] {
        var ids: [[UUID]] = []
        for candidate in 0..<candidates {
            var row: [UUID] = []
            for variant in ["original", "dtf", "background_removed"] {
                let key = "products/\(product)/designs/\(iteration)/\(candidate)-\(variant).png"
                try await storage.put(try StorageKey(key), bytes: Self.png(key), contentType: "image/png")
                row.append(try await value(UUID.self, """
                    INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, pending_selection,
                                                storage_key, content_type, width, height, byte_size, sha256)
                    VALUES (\(product), 'design', \(variant)::asset_variant, \(iteration), \(candidate), true, \(key), 'image/png',
                            64, 64, \(Self.png(key).count), sha256(convert_to(\(key), 'UTF8')))
                    RETURNING id
                    """))
            }
            ids.append(row)
        }
        try await execute("UPDATE products SET status = 'awaiting_selection' WHERE id = \(product)")
        return ids
    }

    /// A mockup row as a mockup worker makes it (active, succeeded) for `selection`.
    @discardableResult
    func seedMockup(_ product: UUID, role: String, design: UUID, selection: Int, active: Bool = true) async throws -> UUID {
        let key = "products/\(product)/mockups/\(selection)/\(role)-\(UUID()).png"
        try await storage.put(try StorageKey(key), bytes: Self.png(key), contentType: "image/png")
        return try await value(UUID.self, """
            INSERT INTO product_assets (product_id, asset_role, source_asset_id, selection_version, is_active,
                                        storage_key, content_type, width, height, byte_size, sha256)
            VALUES (\(product), \(role)::asset_role, \(design), \(selection), \(active), \(key), 'image/png', 64, 64,
                    \(Self.png(key).count), sha256(convert_to(\(key), 'UTF8')))
            RETURNING id
            """)
    }

    /// A terminally failed mockup row, as the finalizer's failure recorder makes it.
    func seedFailedMockup(_ product: UUID, role: String, design: UUID, selection: Int) async throws {
        try await execute("""
            INSERT INTO product_assets (product_id, asset_role, generation_status, error_status, error_message,
                                        source_asset_id, selection_version)
            VALUES (\(product), \(role)::asset_role, 'failed', 'permanent', 'template could not be rendered', \(design), \(selection))
            """)
    }

    /// Stand-in image bytes: the PNG signature and the key (the API serves bytes as stored).
    static func png(_ key: String) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(key.utf8)
    }
}
