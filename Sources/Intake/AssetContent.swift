import Foundation
import Postgres
import Storage

/// `GET /v1/assets/{id}/content`: the blob of an asset the caller may see — one of its
/// own products', stored, unarchived, and either a design or an active mockup (the same
/// rule as every listing: inactive or archived mockups are never shown).
struct AssetContent: Sendable {
    var caller: Caller
    var assetID: UUID

    func load(database: PostgresClient, storage: any AssetStorage) async throws -> (bytes: [UInt8], contentType: String) {
        let owner = caller.ownerID, asset = assetID
        let found: (String, String)? = try await database.withConnection { connection in
            guard let row = try connection.query("""
                SELECT a.storage_key, a.content_type
                FROM product_assets a JOIN products p ON p.id = a.product_id
                WHERE a.id = \(asset) AND p.owner_id = \(owner) AND a.generation_status = 'succeeded'
                  AND a.archived_at IS NULL AND (a.asset_role = 'design' OR a.is_active)
                """).first else { return nil }
            return try row.decode((String, String).self)
        }
        guard let found else { throw APIProblem.notFound("no such asset") }
        let (key, contentType) = found
        return (try await storage.get(try StorageKey(key)), contentType)
    }
}
