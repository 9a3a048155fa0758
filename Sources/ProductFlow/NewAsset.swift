public import Foundation
public import Postgres

/// A product asset row to insert (DESIGN.md §4). Inserting is idempotent per job,
/// candidate and variant: a redelivered job finds its row and gets the same id back.
public struct NewAsset: Sendable {
    public var productID: UUID
    public var role: String
    public var variant: String?
    public var iteration: Int?
    public var candidateIndex: Int?
    public var jobID: UUID
    public var storageKey: String
    public var contentType: String = "image/png"
    public var width: Int
    public var height: Int
    public var byteSize: Int
    public var sha256: [UInt8]
    public var isActive = false
    public var pendingSelection = false
    public var sourceAssetID: UUID?
    public var selectionVersion: Int?
    /// JSON text for `template_info`.
    public var templateInfo: String?
    /// Designs: source pixels per printed inch at the product's placement.
    public var effectiveDPI: Int?
    /// Designs: `low_resolution` when ``effectiveDPI`` is below what prints sharply.
    public var printQuality: String?
    /// Designs: the image provider and model that made it (the library's provenance).
    public var provider: String?
    public var model: String?

    public init(productID: UUID, role: String, jobID: UUID, storageKey: String, width: Int, height: Int, byteSize: Int, sha256: [UInt8]) {
        self.productID = productID
        self.role = role
        self.jobID = jobID
        self.storageKey = storageKey
        self.width = width
        self.height = height
        self.byteSize = byteSize
        self.sha256 = sha256
    }

    /// Inserts the row, or returns the id of the row this job already made for the same
    /// candidate and variant.
    @discardableResult
    public func insert(on connection: PostgresConnection) throws -> UUID {
        let info = templateInfo.map { PostgresJSON(text: $0) }
        let inserted = try connection.query("""
            INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, job_id, storage_key,
                content_type, width, height, byte_size, sha256, is_active, pending_selection, source_asset_id,
                selection_version, template_info, effective_dpi, print_quality, provider, model)
            VALUES (\(productID), \(role)::asset_role, \(variant)::asset_variant, \(iteration), \(candidateIndex), \(jobID),
                \(storageKey), \(contentType), \(width), \(height), \(byteSize), \(sha256), \(isActive), \(pendingSelection),
                \(sourceAssetID), \(selectionVersion), \(info)::jsonb, \(effectiveDPI), \(printQuality), \(provider), \(model))
            ON CONFLICT (job_id, candidate_index, variant) WHERE job_id IS NOT NULL DO NOTHING
            RETURNING id
            """)
        if let row = inserted.first { return try row.decode(UUID.self, column: "id") }
        return try connection.query("""
            SELECT id FROM product_assets
            WHERE job_id = \(jobID) AND candidate_index IS NOT DISTINCT FROM \(candidateIndex)
              AND variant IS NOT DISTINCT FROM \(variant)::asset_variant
            """)[0].decode(UUID.self, column: "id")
    }
}
