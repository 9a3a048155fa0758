import AssetImages
import Foundation
import Postgres
import ProductFlow

/// `GET /v1/products`: the caller's products, newest first, `limit` at a time (1–100,
/// default 20), optionally of one `status`. `cursor` is the `next_cursor` of the previous
/// page (the last product's id; one that names no product of the caller is a 404): the page
/// continues strictly after that product in
/// (created_at, id) order, so products created meanwhile never shift a page. Each item names
/// its selected design (the list's thumbnail), when there is one.
struct ProductListView: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var id: UUID
        var status: ProductStatus
        var prompt: String
        var productType: String
        var shirtColor: String
        var iteration: Int
        var createdAt: Date
        var updatedAt: Date
        var designAssetID: UUID?
        var thumbnailURL: String?
        var links: ProductLinks

        private enum CodingKeys: String, CodingKey {
            case id, status, prompt, productType = "product_type", shirtColor = "shirt_color", iteration
            case createdAt = "created_at", updatedAt = "updated_at", designAssetID = "design_asset_id"
            case thumbnailURL = "thumbnail_url", links
        }
    }

    /// The validated query of a page.
    struct Query: Sendable, Equatable {
        static let defaultLimit = 20
        static let maxLimit = 100
        /// The list's thumbnails are asked at this width (the builder shows them at 96 CSS px).
        static let thumbnailWidth = ThumbnailWidth.w256

        var status: ProductStatus?
        var limit = defaultLimit
        var after: UUID?

        /// Reads `status`, `limit` and `cursor`; a bad value (an empty one too) is a 400 naming
        /// the parameter. The builder's filter form sends `status=` for "all": it drops empty values first.
        init(status: String?, limit: String?, cursor: String?) throws {
            if let status {
                guard let parsed = ProductStatus(rawValue: status) else {
                    let known = ProductStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw APIProblem.validation("status must be one of: \(known)", field: "status")
                }
                self.status = parsed
            }
            if let limit {
                guard let parsed = Int(limit), (1...Self.maxLimit).contains(parsed) else {
                    throw APIProblem.validation("limit must be an integer from 1 to \(Self.maxLimit)", field: "limit")
                }
                self.limit = parsed
            }
            if let cursor {
                guard let id = UUID(uuidString: cursor) else {
                    throw APIProblem.validation("cursor must be the next_cursor of a previous page", field: "cursor")
                }
                after = id
            }
        }

        static func encodeCursor(_ id: UUID) -> String {
            id.uuidString.lowercased()
        }
    }

    var items: [Item]
    var nextCursor: String?

    private enum CodingKeys: String, CodingKey {
        case items, nextCursor = "next_cursor"
    }

    static func load(caller: Caller, query: Query, on connection: PostgresConnection) throws -> ProductListView {
        // A cursor of another owner's (or an unknown) product is a 404, never a silent restart.
        if let after = query.after, try connection.query("""
            SELECT 1 FROM products WHERE id = \(after) AND owner_id = \(caller.ownerID)
            """).isEmpty {
            throw APIProblem.notFound("no product of yours is this cursor")
        }
        let rows = try connection.query("""
            SELECT p.id, p.status::text, p.prompt, p.product_type, p.shirt_color, p.iteration, p.created_at, p.updated_at,
                   (SELECT a.id FROM product_assets a WHERE a.product_id = p.id AND a.is_primary_design AND a.is_active) AS design_id
            FROM products p
            WHERE p.owner_id = \(caller.ownerID)
              AND (\(query.status?.rawValue)::product_status IS NULL OR p.status = \(query.status?.rawValue)::product_status)
              AND (\(query.after)::uuid IS NULL OR (p.created_at, p.id) <
                   (SELECT c.created_at, c.id FROM products c WHERE c.id = \(query.after)::uuid))
            ORDER BY p.created_at DESC, p.id DESC
            LIMIT \(query.limit + 1)
            """)
        let items = try rows.prefix(query.limit).map { row in
            let id = try row.decode(UUID.self, column: "id"), design = try row.decode(UUID?.self, column: "design_id")
            return Item(
                id: id, status: try ProductStatusColumn.decode(row), prompt: try row.decode(String.self, column: "prompt"),
                productType: try row.decode(String.self, column: "product_type"), shirtColor: try row.decode(String.self, column: "shirt_color"),
                iteration: try row.decode(Int.self, column: "iteration"), createdAt: try row.decode(Date.self, column: "created_at"),
                updatedAt: try row.decode(Date.self, column: "updated_at"), designAssetID: design,
                thumbnailURL: design.map { ProductLinks.content($0) + "?width=\(Query.thumbnailWidth.pixels)" }, links: ProductLinks(id))
        }
        let next = rows.count > query.limit ? items.last.map { Query.encodeCursor($0.id) } : nil
        return ProductListView(items: items, nextCursor: next)
    }
}
