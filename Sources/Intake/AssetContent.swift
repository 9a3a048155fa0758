import AssetImages
import Foundation
import Postgres

/// `GET /v1/assets/{id}/content`: which stored image an asset is, when the request may see
/// it — an asset of the caller's own products (or, for a signed URL, of any product),
/// stored, unarchived, and either a design or an active mockup (the same rule as every
/// listing: inactive or archived mockups are never shown).
struct AssetContent: Sendable {
    /// Whose products the asset must belong to; nil for a request authorised by its
    /// signature, which names the asset itself.
    var owner: UUID?
    var assetID: UUID

    func load(database: PostgresClient) async throws -> StoredImage {
        let owner = self.owner, asset = assetID
        let found: StoredImage? = try await database.withConnection { connection in
            guard let row = try connection.query("""
                SELECT a.storage_key, a.content_type, a.sha256, a.width
                FROM product_assets a JOIN products p ON p.id = a.product_id
                WHERE a.id = \(asset) AND (\(owner)::uuid IS NULL OR p.owner_id = \(owner))
                  AND a.generation_status = 'succeeded'
                  AND a.archived_at IS NULL AND (a.asset_role = 'design' OR a.is_active)
                """).first else { return nil }
            return StoredImage(
                storageKey: try row.decode(String.self, column: "storage_key"),
                contentType: try row.decode(String.self, column: "content_type"),
                sha256: Array(try row.decode(Data.self, column: "sha256")),
                width: try row.decode(Int.self, column: "width"))
        }
        guard let found else { throw APIProblem.notFound("no such asset") }
        return found
    }
}
