import Foundation
import Postgres

/// `GET /v1/products/{id}/designs`: the product's design candidates, grouped by
/// (iteration, candidate) with their variants. Only stored, unarchived designs of this
/// product: candidates are inactive until one is selected (then `selected` is true for
/// it); archived designs (a replaced primary) never appear. `?iteration=all` lists every
/// iteration, the default is the current one.
struct DesignsView: Encodable, Sendable {
    struct Variant: Encodable, Sendable {
        var assetID: UUID
        var variant: String
        var width: Int
        var height: Int
        var contentType: String
        var contentURL: String

        private enum CodingKeys: String, CodingKey {
            case assetID = "asset_id", variant, width, height, contentType = "content_type", contentURL = "content_url"
        }
    }

    struct Candidate: Encodable, Sendable {
        var iteration: Int
        var candidate: Int
        var selected: Bool
        /// Source pixels per printed inch at the product's placement (`null`: not measured,
        /// a design made before placements).
        var effectiveDPI: Int?
        /// `null`, or the low-resolution warning.
        var printQuality: PrintQuality?
        var variants: [Variant]

        private enum CodingKeys: String, CodingKey {
            case iteration, candidate, selected, effectiveDPI = "effective_dpi", printQuality = "print_quality", variants
        }
    }

    var productID: UUID
    var iteration: Int
    var candidates: [Candidate]

    private enum CodingKeys: String, CodingKey {
        case productID = "product_id", iteration, candidates
    }

    static func load(_ id: UUID, caller: Caller, allIterations: Bool, on connection: PostgresConnection) throws -> DesignsView? {
        guard let product = try connection.query("""
            SELECT iteration FROM products WHERE id = \(id) AND owner_id = \(caller.ownerID)
            """).first else { return nil }
        let current = try product.decode(Int.self, column: "iteration")
        let rows = try connection.query("""
            SELECT id, iteration, candidate_index, variant::text, width, height, content_type, is_primary_design,
                   effective_dpi, print_quality
            FROM product_assets
            WHERE product_id = \(id) AND asset_role = 'design' AND generation_status = 'succeeded' AND archived_at IS NULL
              AND (\(allIterations)::boolean OR iteration = \(current))
            ORDER BY iteration, candidate_index,
                     CASE variant WHEN 'original' THEN 0 WHEN 'dtf' THEN 1 ELSE 2 END
            """)
        var candidates: [Candidate] = []
        for row in rows {
            let iteration = try row.decode(Int.self, column: "iteration")
            let index = try row.decode(Int.self, column: "candidate_index")
            let assetID = try row.decode(UUID.self, column: "id")
            let variant = Variant(
                assetID: assetID, variant: try row.decode(String.self, column: "variant"), width: try row.decode(Int.self, column: "width"),
                height: try row.decode(Int.self, column: "height"), contentType: try row.decode(String.self, column: "content_type"),
                contentURL: ProductLinks.content(assetID))
            let selected = try row.decode(Bool.self, column: "is_primary_design")
            if let last = candidates.indices.last, candidates[last].iteration == iteration, candidates[last].candidate == index {
                candidates[last].variants.append(variant)
                candidates[last].selected = candidates[last].selected || selected
            } else {
                let dpi = try row.decode(Int?.self, column: "effective_dpi")
                let quality = PrintQuality(code: try row.decode(String?.self, column: "print_quality"), effectiveDPI: dpi)
                candidates.append(Candidate(iteration: iteration, candidate: index, selected: selected, effectiveDPI: dpi,
                                            printQuality: quality, variants: [variant]))
            }
        }
        return DesignsView(productID: id, iteration: current, candidates: candidates)
    }
}
