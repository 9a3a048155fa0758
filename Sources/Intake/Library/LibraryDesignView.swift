import Foundation
import Postgres

/// A library design as the API shows it: name, tags, whether it is archived, and every
/// version with its variants (content sha256 and size) and provenance.
struct LibraryDesignView: Encodable, Sendable {
    struct Variant: Encodable, Sendable {
        var variant: String
        var sha256: String
        var width: Int
        var height: Int
        var byteSize: Int64

        private enum CodingKeys: String, CodingKey {
            case variant, sha256, width, height, byteSize = "byte_size"
        }
    }

    struct Provenance: Encodable, Sendable {
        var prompt: String
        var iteration: Int
        var feedback: [String]
        var provider: String?
        var model: String?
        var sourceProductID: UUID?

        private enum CodingKeys: String, CodingKey {
            case prompt, iteration, feedback, provider, model, sourceProductID = "source_product_id"
        }
    }

    struct Version: Encodable, Sendable {
        var version: Int
        var selectedVariant: String
        var productType: String
        var shirtColor: String
        var variants: [Variant]
        var provenance: Provenance
        var createdAt: Date

        private enum CodingKeys: String, CodingKey {
            case version, selectedVariant = "selected_variant", productType = "product_type", shirtColor = "shirt_color",
                 variants, provenance, createdAt = "created_at"
        }
    }

    var id: UUID
    var name: String
    var tags: [String]
    var archived: Bool
    var latestVersion: Int
    var versions: [Version]
    var createdAt: Date

    private enum CodingKeys: String, CodingKey {
        case id, name, tags, archived, latestVersion = "latest_version", versions, createdAt = "created_at"
    }

    /// The caller's design, or nil when it has none with this id (another shop's included).
    static func load(_ id: UUID, caller: Caller, on connection: PostgresConnection) throws -> LibraryDesignView? {
        try loadAll(caller: caller, only: id, includeArchived: true, on: connection).first
    }

    /// The caller's designs, newest first (at most `limit`); archived ones only when asked.
    static func loadAll(
        caller: Caller, only id: UUID? = nil, includeArchived: Bool, limit: Int = 100, on connection: PostgresConnection
    ) throws -> [LibraryDesignView] {
        let designs = try connection.query("""
            SELECT id, name, tags, archived_at IS NOT NULL AS archived, created_at FROM library_designs
            WHERE owner_id = \(caller.ownerID) AND (\(id)::uuid IS NULL OR id = \(id))
              AND (\(includeArchived) OR archived_at IS NULL)
            ORDER BY created_at DESC, id LIMIT \(limit)
            """)
        let ids = try designs.map { try $0.decode(UUID.self, column: "id") }
        var versions: [UUID: [Version]] = [:]
        for row in try connection.query("""
            SELECT v.design_id, v.version, v.selected_variant::text AS selected_variant, v.product_type, v.shirt_color, v.prompt,
                   v.iteration, v.feedback, v.provider, v.model, v.source_product_id, v.created_at,
                   COALESCE((SELECT json_agg(json_build_object('variant', lv.variant, 'sha256', encode(b.sha256, 'hex'),
                                 'width', b.width, 'height', b.height, 'byte_size', b.byte_size) ORDER BY lv.variant)
                             FROM library_design_variants lv JOIN blobs b ON b.sha256 = lv.blob_sha256
                             WHERE lv.version_id = v.id), '[]')::text AS variants
            FROM library_design_versions v WHERE v.design_id = ANY(\(ids))
            ORDER BY v.design_id, v.version
            """) {
            let variants = try JSONDecoder().decode([VariantRow].self, from: Data(try row.decode(String.self, column: "variants").utf8))
            let version = Version(
                version: try row.decode(Int.self, column: "version"), selectedVariant: try row.decode(String.self, column: "selected_variant"),
                productType: try row.decode(String.self, column: "product_type"), shirtColor: try row.decode(String.self, column: "shirt_color"),
                variants: variants.map { Variant(variant: $0.variant, sha256: $0.sha256, width: $0.width, height: $0.height, byteSize: $0.byteSize) },
                provenance: Provenance(
                    prompt: try row.decode(String.self, column: "prompt"), iteration: try row.decode(Int.self, column: "iteration"),
                    feedback: try row.decode([String].self, column: "feedback"), provider: try row.decode(String?.self, column: "provider"),
                    model: try row.decode(String?.self, column: "model"), sourceProductID: try row.decode(UUID?.self, column: "source_product_id")),
                createdAt: try row.decode(Date.self, column: "created_at"))
            versions[try row.decode(UUID.self, column: "design_id"), default: []].append(version)
        }
        return try designs.map { row in
            let id = try row.decode(UUID.self, column: "id")
            let all = versions[id] ?? []
            return LibraryDesignView(
                id: id, name: try row.decode(String.self, column: "name"), tags: try row.decode([String].self, column: "tags"),
                archived: try row.decode(Bool.self, column: "archived"), latestVersion: all.last?.version ?? 0, versions: all,
                createdAt: try row.decode(Date.self, column: "created_at"))
        }
    }

    /// A variant as the query's JSON spells it.
    private struct VariantRow: Decodable {
        var variant: String
        var sha256: String
        var width: Int
        var height: Int
        var byteSize: Int64

        private enum CodingKeys: String, CodingKey {
            case variant, sha256, width, height, byteSize = "byte_size"
        }
    }
}
