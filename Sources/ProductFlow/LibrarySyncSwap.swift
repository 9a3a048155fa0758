public import Foundation
public import Postgres

/// The end of a library sync (issue 20; migration 0015): a product on sale, made from a
/// library design, is moved to the design's latest version without leaving the shelf.
///
/// The intake stages it (the version's design as an inactive asset, named by
/// `products.sync_design_asset_id`, and a mockup job of each kind rendered from it). Each
/// staged mockup commits as an inactive row; the transaction that commits the second one
/// swaps, in one step, the primary design and both mockups and moves the product to the
/// version, its colour and placement. Until then the gallery shows the old three images,
/// and after it the new three: never a mix. A staged mockup job that dies abandons the sync
/// (``abandon(_:reason:on:)``): the product keeps its version and says why.
public enum LibrarySyncSwap {
    /// Swaps if both staged mockups of `productID`'s sync are committed. Call inside the
    /// transaction that committed one of them, with the product row locked (the mockup's
    /// selection check took it). Returns whether the swap was made.
    @discardableResult
    public static func completeIfRendered(_ productID: UUID, on connection: PostgresConnection) throws -> Bool {
        guard let product = try connection.query("""
            SELECT sync_design_asset_id, selection_version FROM products
            WHERE id = \(productID) AND status = 'ready_for_sale' AND sync_design_asset_id IS NOT NULL
            """).first else { return false }
        let staged = try product.decode(UUID.self, column: "sync_design_asset_id")
        let selection = try product.decode(Int.self, column: "selection_version")
        let mockups = try connection.query("""
            SELECT DISTINCT ON (asset_role) id, asset_role::text AS role FROM product_assets
            WHERE product_id = \(productID) AND source_asset_id = \(staged) AND selection_version = \(selection)
              AND asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine') AND generation_status = 'succeeded'
              AND archived_at IS NULL
            ORDER BY asset_role, created_at DESC
            """)
        guard mockups.count == 2 else { return false }
        let mockupIDs = try mockups.map { try $0.decode(UUID.self, column: "id") }
        // Old out first: one primary design and one active mockup per role (unique indexes).
        try connection.execute("""
            UPDATE product_assets SET is_primary_design = false, is_active = false, archived_at = now(), updated_at = now()
            WHERE product_id = \(productID) AND is_primary_design
            """)
        try connection.execute("""
            UPDATE product_assets SET is_active = false, archived_at = now(), updated_at = now()
            WHERE product_id = \(productID) AND asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine')
              AND archived_at IS NULL AND NOT (id = ANY(\(mockupIDs)))
            """)
        try connection.execute("""
            UPDATE product_assets SET is_primary_design = true, is_active = true, pending_selection = false,
                   archived_at = NULL, updated_at = now()
            WHERE id = \(staged)
            """)
        try connection.execute("""
            UPDATE product_assets SET is_active = true, updated_at = now() WHERE id = ANY(\(mockupIDs))
            """)
        // The version, its colour and placement (the product's own where it overrides them),
        // and the overrides recomputed against the new version, as at creation.
        try connection.execute("""
            UPDATE products p SET library_version_id = p.sync_version_id, shirt_color = p.sync_shirt_color,
                   placement = p.sync_placement,
                   library_overrides = array_remove(ARRAY[
                       CASE WHEN v.product_type <> p.product_type THEN 'product_type' END,
                       CASE WHEN v.shirt_color <> p.sync_shirt_color THEN 'shirt_color' END,
                       CASE WHEN v.placement IS DISTINCT FROM p.sync_placement THEN 'placement' END], NULL),
                   sync_version_id = NULL, sync_design_asset_id = NULL, sync_shirt_color = NULL, sync_placement = NULL,
                   updated_at = now()
            FROM library_design_versions v
            WHERE p.id = \(productID) AND v.id = p.sync_version_id
            """)
        return true
    }

    /// Ends `productID`'s sync without the swap when a job rendering for `stagedDesign` died:
    /// the product keeps its version and images, records `reason` in `sync_failure`, and the
    /// staged design leaves the candidates. Returns false (nothing written) when that design
    /// is not the one staged (an older sync, or none).
    @discardableResult
    public static func abandon(_ productID: UUID, stagedDesign: UUID, reason: String, on connection: PostgresConnection) throws -> Bool {
        let ended = try connection.execute("""
            UPDATE products SET sync_version_id = NULL, sync_design_asset_id = NULL, sync_shirt_color = NULL,
                   sync_placement = NULL, sync_failure = \(String(reason.prefix(2000))), updated_at = now()
            WHERE id = \(productID) AND sync_design_asset_id = \(stagedDesign)
            """)
        guard ended > 0 else { return false }
        try connection.execute("""
            UPDATE product_assets SET archived_at = now(), updated_at = now()
            WHERE product_id = \(productID) AND (id = \(stagedDesign) OR source_asset_id = \(stagedDesign)) AND NOT is_active
            """)
        return true
    }
}
