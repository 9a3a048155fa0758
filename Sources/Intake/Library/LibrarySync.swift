import Foundation
import Mockups
import Postgres
import ProductFlow

/// `GET|POST /v1/library/designs/{id}/sync`: moving the products made from a library design
/// to its latest version. The preview says per product what would change — the design (and
/// its sha256), and the colour and placement where the product takes the version's (a field
/// it overrides is kept, and listed as kept); the product type never changes. Applying it
/// stages each product in its own transaction, under the product's lock: the version's
/// variants become inactive design assets of the product (their blobs shared, not copied),
/// the product names the sync (migration 0015), and a flat-lay and an mr_imagine job are
/// enqueued through the outbox from the staged design. The product stays `ready_for_sale`
/// with its old images; the mockup workers' commit of the second new mockup swaps all three
/// (``LibrarySyncSwap``).
struct LibrarySync: Sendable {
    var caller: Caller
    var designID: UUID
    var catalog: TemplateCatalog

    /// The design's latest version, as a sync needs it.
    private struct Latest {
        var id: UUID
        var version: Int
        var shirtColor: String
        /// `placement::text` of the version (nil: made without one).
        var placement: String?
        var selectedVariant: String
        var designSHA256: String
    }

    /// A product made from the design, as a sync needs it.
    private struct Product {
        var id: UUID
        var status: String
        var productType: String
        var shirtColor: String
        var placement: String?
        var overrides: [String]
        var iteration: Int
        var selectionVersion: Int
        var version: Int
        var syncVersion: Int?
        var designSHA256: String?
    }

    /// What a sync of one product would write: the item, and for `would_sync` the colour and
    /// placement the product moves to.
    private struct Plan {
        var item: LibrarySyncItem
        var shirtColor: String
        var placement: String?
    }

    func preview(on database: PostgresClient) async throws -> LibrarySyncAnswer {
        try await database.withConnection { connection in
            let latest = try latestVersion(on: connection)
            let items = try products(nil, lock: false, on: connection).map { try plan($0, latest: latest).item }
            return LibrarySyncAnswer(designID: designID, latestVersion: latest.version, applied: false, products: items)
        }
    }

    /// Applies the sync to `only` (nil: every product of the design), one transaction per
    /// product. An id that is not a product made from this design (of the caller's shop)
    /// answers `refused`.
    func apply(only: [UUID]?, on database: PostgresClient) async throws -> LibrarySyncAnswer {
        let (latestNumber, found) = try await database.withConnection { connection in
            (try latestVersion(on: connection).version, try products(only, lock: false, on: connection).map(\.id))
        }
        var items: [LibrarySyncItem] = []
        for id in found {
            let item = try await database.withTransaction { connection -> LibrarySyncItem? in
                // Fresh under the lock: a concurrent sync or selection has committed or waits.
                let latest = try latestVersion(on: connection)
                guard let product = try products([id], lock: true, on: connection).first else { return nil }
                let plan = try plan(product, latest: latest)
                guard plan.item.result == "would_sync" else { return plan.item }
                return try stage(product, plan: plan, latest: latest, on: connection)
            }
            if let item { items.append(item) }
        }
        for id in only ?? [] where !found.contains(id) {
            items.append(LibrarySyncItem(productID: id, status: "unknown", version: 0, result: "refused",
                                         reason: "not a product made from this library design"))
        }
        return LibrarySyncAnswer(designID: designID, latestVersion: latestNumber, applied: true, products: items)
    }

    private func latestVersion(on connection: PostgresConnection) throws -> Latest {
        guard try !connection.query("""
            SELECT 1 FROM library_designs WHERE id = \(designID) AND owner_id = \(caller.ownerID)
            """).isEmpty else { throw APIProblem.libraryDesignNotFound }
        guard let row = try connection.query("""
            SELECT v.id, v.version, v.shirt_color, v.placement::text AS placement, v.selected_variant::text AS selected_variant,
                   encode(lv.blob_sha256, 'hex') AS design_sha256
            FROM library_design_versions v
            JOIN library_design_variants lv ON lv.version_id = v.id AND lv.variant = v.selected_variant
            WHERE v.design_id = \(designID) ORDER BY v.version DESC LIMIT 1
            """).first else { throw IntakeError.unexpected("library design \(designID) has no version") }
        return Latest(id: try row.decode(UUID.self, column: "id"), version: try row.decode(Int.self, column: "version"),
                      shirtColor: try row.decode(String.self, column: "shirt_color"),
                      placement: try row.decode(String?.self, column: "placement"),
                      selectedVariant: try row.decode(String.self, column: "selected_variant"),
                      designSHA256: try row.decode(String.self, column: "design_sha256"))
    }

    /// The design's products (`ids`: only those), cancelled ones left out, oldest first.
    private func products(_ ids: [UUID]?, lock: Bool, on connection: PostgresConnection) throws -> [Product] {
        let only: SQL = if let ids { "AND p.id = ANY(\(ids))" } else { "" }
        let lockClause: SQL = lock ? "FOR UPDATE OF p" : ""
        return try connection.query("""
            SELECT p.id, p.status::text AS status, p.product_type, p.shirt_color, p.placement::text AS placement,
                   p.library_overrides, p.iteration, p.selection_version, v.version, sv.version AS sync_version,
                   (SELECT encode(a.sha256, 'hex') FROM product_assets a
                     WHERE a.product_id = p.id AND a.is_primary_design) AS design_sha256
            FROM products p
            JOIN library_design_versions v ON v.id = p.library_version_id
            LEFT JOIN library_design_versions sv ON sv.id = p.sync_version_id
            WHERE p.library_design_id = \(designID) AND p.owner_id = \(caller.ownerID) AND p.status <> 'cancelled' \(only)
            ORDER BY p.created_at, p.id
            \(lockClause)
            """).map { row in
            Product(id: try row.decode(UUID.self, column: "id"), status: try row.decode(String.self, column: "status"),
                    productType: try row.decode(String.self, column: "product_type"),
                    shirtColor: try row.decode(String.self, column: "shirt_color"),
                    placement: try row.decode(String?.self, column: "placement"),
                    overrides: try row.decode([String].self, column: "library_overrides"),
                    iteration: try row.decode(Int.self, column: "iteration"),
                    selectionVersion: try row.decode(Int.self, column: "selection_version"),
                    version: try row.decode(Int.self, column: "version"), syncVersion: try row.decode(Int?.self, column: "sync_version"),
                    designSHA256: try row.decode(String?.self, column: "design_sha256"))
        }
    }

    private func plan(_ product: Product, latest: Latest) throws -> Plan {
        var item = LibrarySyncItem(productID: product.id, status: product.status, version: product.version, result: "would_sync")
        item.keptOverrides = product.overrides
        var plan = Plan(item: item, shirtColor: product.shirtColor, placement: product.placement)
        func answer(_ result: String, _ reason: String? = nil) -> Plan {
            plan.item.result = result
            plan.item.reason = reason
            return plan
        }
        guard product.status == "ready_for_sale" else {
            return answer("skipped", "the product is \(product.status); only a product on sale is synced")
        }
        guard product.version < latest.version else { return answer("up_to_date") }
        if product.syncVersion == latest.version {
            return answer("in_progress", "its mockups for version \(latest.version) are rendering")
        }
        guard let type = catalog.manifest.productTypes[product.productType] else {
            return answer("refused", "product type \(product.productType) is no longer in the catalogue")
        }
        if !product.overrides.contains("shirt_color") {
            guard type.colors[latest.shirtColor] != nil else {
                return answer("refused", "version \(latest.version)'s colour \(latest.shirtColor) is not offered for \(product.productType)")
            }
            plan.shirtColor = latest.shirtColor
        }
        if !product.overrides.contains("placement") {
            do {
                plan.placement = try Self.placement(latest.placement, on: type, typeName: product.productType)
            } catch let refusal as Refusal {
                return answer("refused", "version \(latest.version)'s \(refusal.text)")
            }
        }
        plan.item.changes.append(.init(field: "version", from: String(product.version), to: String(latest.version)))
        plan.item.changes.append(.init(field: "design_sha256", from: product.designSHA256 ?? "none", to: latest.designSHA256))
        if plan.shirtColor != product.shirtColor {
            plan.item.changes.append(.init(field: "shirt_color", from: product.shirtColor, to: plan.shirtColor))
        }
        let from = try Self.decodePlacement(product.placement), to = try Self.decodePlacement(plan.placement)
        if from != to {
            plan.item.changes.append(.init(field: "placement", from: Self.describe(from), to: Self.describe(to)))
        }
        return plan
    }

    private struct Refusal: Error {
        var text: String
    }

    /// A version's placement on the product's type: a preset by its name (the type's own box
    /// for it), an explicit box if it fits the type's printable area, none: the type's default.
    private static func placement(_ text: String?, on type: TemplateManifest.ProductType, typeName: String) throws -> String? {
        guard let text else { return try type.defaultPreset.flatMap { type.preset($0) }.map { try SortedJSON.text($0) } }
        let placement = try PostgresJSON(text: text).decode(Placement.self)
        if let preset = placement.preset {
            guard let own = type.preset(preset) else { throw Refusal(text: "placement \(preset) is not offered for \(typeName)") }
            return try SortedJSON.text(own)
        }
        guard let area = type.printableArea(placement.side),
              placement.box.x + placement.box.width <= area.widthMM + 0.01,
              placement.box.y + placement.box.height <= area.heightMM + 0.01 else {
            throw Refusal(text: "placement box does not fit the \(placement.side.rawValue) of \(typeName)")
        }
        return text
    }

    private static func decodePlacement(_ text: String?) throws -> PrintPlacement? {
        try text.map { try PostgresJSON(text: $0).decode(PrintPlacement.self) }
    }

    private static func describe(_ placement: PrintPlacement?) -> String {
        guard let placement else { return "centred" }
        if let preset = placement.preset { return preset }
        return "\(placement.side) box at \(placement.xMM),\(placement.yMM) mm, \(placement.widthMM)×\(placement.heightMM) mm"
    }

    /// The version's variants as inactive design assets of the product (a new candidate of
    /// its iteration), the sync named on the product, and both mockup jobs from the staged
    /// selected variant.
    private func stage(_ product: Product, plan: Plan, latest: Latest, on connection: PostgresConnection) throws -> LibrarySyncItem {
        let staged = try connection.query("""
            INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, storage_key, blob_sha256,
                content_type, width, height, byte_size, sha256, provider, model)
            SELECT \(product.id), 'design', lv.variant, \(product.iteration),
                   (SELECT COALESCE(max(candidate_index), -1) + 1 FROM product_assets
                     WHERE product_id = \(product.id) AND asset_role = 'design' AND iteration = \(product.iteration)),
                   b.storage_key, b.sha256, b.content_type, b.width, b.height, b.byte_size, b.sha256, v.provider, v.model
            FROM library_design_versions v
            JOIN library_design_variants lv ON lv.version_id = v.id
            JOIN blobs b ON b.sha256 = lv.blob_sha256
            WHERE v.id = \(latest.id)
            RETURNING id, variant::text AS variant
            """)
        guard let selected = try staged.first(where: { try $0.decode(String.self, column: "variant") == latest.selectedVariant }) else {
            throw IntakeError.unexpected("library version \(latest.id) has no selected variant")
        }
        let designAssetID = try selected.decode(UUID.self, column: "id")
        try connection.execute("""
            UPDATE products SET sync_version_id = \(latest.id), sync_design_asset_id = \(designAssetID),
                   sync_shirt_color = \(plan.shirtColor), sync_placement = \(plan.placement)::jsonb, sync_failure = NULL,
                   updated_at = now()
            WHERE id = \(product.id)
            """)
        var item = plan.item
        item.jobIDs = try ProductSelection.enqueueMockups(
            of: product.id, assetID: designAssetID, version: product.selectionVersion, productType: product.productType,
            shirtColor: plan.shirtColor, placement: try Self.decodePlacement(plan.placement), on: connection)
        item.result = "started"
        return item
    }
}
