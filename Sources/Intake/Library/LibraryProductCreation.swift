import Foundation
import Postgres
import ProductFlow

/// A product made from a library design, inside the caller's transaction: no design job
/// and no generation credit. The product (`draft`, the version's prompt, one candidate)
/// records the design, the version and the fields it overrides (garment, colour or
/// placement differing from the version's source product); `price` credits are reserved
/// (`ITP_PRICE_LIBRARY`; none when 0); one design asset per variant of the version names
/// the version's blob (shared, not copied); and the version's selected variant is
/// selected through ``ProductSelection/select(_:of:productType:shirtColor:placement:on:)``,
/// the shopper's own selection path, which moves the product to `generating_mockups` and
/// enqueues both mockups.
enum LibraryProductCreation {
    struct Made: Sendable {
        var productID: UUID
        var selectionVersion: Int
    }

    /// The version a draft asks for (nil: the latest) of one of the caller's designs.
    /// Another shop's design, or an unknown one, is 404; an archived one 409.
    static func version(of draft: LibraryDraft, caller: Caller, on connection: PostgresConnection) throws -> PostgresRow {
        guard let design = try connection.query("""
            SELECT archived_at IS NOT NULL AS archived FROM library_designs
            WHERE id = \(draft.designID) AND owner_id = \(caller.ownerID) FOR SHARE
            """).first else { throw APIProblem.libraryDesignNotFound }
        guard !(try design.decode(Bool.self, column: "archived")) else {
            throw APIProblem.invalidState("the library design is archived; no new product can use it")
        }
        guard let version = try connection.query("""
            SELECT id, version, selected_variant::text AS selected_variant, prompt, product_type, shirt_color, placement::text AS placement,
                   provider, model
            FROM library_design_versions
            WHERE design_id = \(draft.designID) AND (\(draft.version)::int IS NULL OR version = \(draft.version))
            ORDER BY version DESC LIMIT 1
            """).first else {
            throw APIProblem.validation("the library design has no version \(draft.version ?? 0)", field: "library_version")
        }
        return version
    }

    /// Makes the product; `idempotency` is the single create's key and fingerprint (a
    /// batch is idempotent as a whole, its products carry none). Returns nil when a
    /// concurrent request with the same key inserted first.
    static func make(
        _ draft: LibraryDraft, caller: Caller, price: Int, idempotency: (key: String, canonical: String)?, on connection: PostgresConnection
    ) throws -> Made? {
        let version = try Self.version(of: draft, caller: caller, on: connection)
        let versionID = try version.decode(UUID.self, column: "id")
        let placementJSON = try draft.placementJSON()
        let productID = UUID()
        let inserted = try connection.query("""
            INSERT INTO products (id, owner_id, status, prompt, product_type, shirt_color, candidate_count, placement,
                                  idempotency_key, request_sha256, library_design_id, library_version_id, library_overrides)
            SELECT \(productID), \(caller.ownerID), 'draft', v.prompt, \(draft.productType), \(draft.shirtColor), 1,
                   \(placementJSON)::jsonb, \(idempotency?.key),
                   CASE WHEN \(idempotency?.key)::text IS NULL THEN NULL ELSE sha256(convert_to(\(idempotency?.canonical), 'UTF8')) END,
                   v.design_id, v.id,
                   array_remove(ARRAY[
                       CASE WHEN v.product_type <> \(draft.productType) THEN 'product_type' END,
                       CASE WHEN v.shirt_color <> \(draft.shirtColor) THEN 'shirt_color' END,
                       CASE WHEN v.placement IS DISTINCT FROM \(placementJSON)::jsonb THEN 'placement' END], NULL)
            FROM library_design_versions v WHERE v.id = \(versionID)
            ON CONFLICT ON CONSTRAINT products_idempotency_key_unique DO NOTHING
            RETURNING id
            """)
        guard !inserted.isEmpty else { return nil }
        if price > 0 {
            try Credits.reserve(owner: caller.ownerID, product: productID, iteration: 1, amount: price, on: connection)
        }
        let assets = try connection.query("""
            INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, storage_key, blob_sha256,
                content_type, width, height, byte_size, sha256, pending_selection, provider, model)
            SELECT \(productID), 'design', lv.variant, 1, 0, b.storage_key, b.sha256, b.content_type, b.width, b.height,
                   b.byte_size, b.sha256, true, \(try version.decode(String?.self, column: "provider")),
                   \(try version.decode(String?.self, column: "model"))
            FROM library_design_variants lv JOIN blobs b ON b.sha256 = lv.blob_sha256
            WHERE lv.version_id = \(versionID)
            RETURNING id, variant::text AS variant
            """)
        let selected = try version.decode(String.self, column: "selected_variant")
        guard let chosen = try assets.first(where: { try $0.decode(String.self, column: "variant") == selected }) else {
            throw IntakeError.unexpected("library version \(versionID) has no \(selected) variant")
        }
        let selectionVersion = try ProductSelection.select(
            try chosen.decode(UUID.self, column: "id"), of: productID, productType: draft.productType, shirtColor: draft.shirtColor,
            placement: draft.placement.map { PrintPlacement($0) }, on: connection)
        return Made(productID: productID, selectionVersion: selectionVersion)
    }
}
