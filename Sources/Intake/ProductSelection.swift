import Foundation
import JobRuntime
import Postgres
import ProductFlow

/// `POST /v1/products/{id}/selection`: DESIGN.md §1 step 3 in one transaction, under the
/// product row's lock so concurrent selections serialize (the last to commit wins, and
/// only its mockup jobs stay live).
///
/// The previous primary and every unarchived mockup are archived; all designs leave
/// `pending_selection`; the chosen asset becomes the active primary; `selection_version`
/// is bumped; the product moves to `generating_mockups`; queued or retrying mockup jobs
/// of older selections are superseded (running ones supersede themselves when they
/// re-check the selection); a flat-lay and an mr_imagine job are enqueued for the new
/// selection. Choosing the design that is already the primary changes nothing; choosing
/// an earlier primary (archived when it was replaced) brings it back.
///
/// A `failed` product that has designs (its mockups failed, or a later iteration's design
/// generation did) is recovered the same way: the selection re-reserves the credits the
/// failure refunded (402 when the balance is short) and makes new mockups, even of the
/// design that was already the primary.
struct ProductSelection: Sendable {
    static let allowedFrom: Set<ProductStatus> = [.awaitingSelection, .generatingMockups, .readyForSale, .failed]

    var caller: Caller
    var productID: UUID
    var assetID: UUID

    func run(on database: PostgresClient) async throws -> AcceptedProduct {
        try await database.withTransaction { connection in
            guard let product = try connection.query("""
                SELECT status::text, selection_version, product_type, shirt_color, iteration, placement::text
                FROM products WHERE id = \(productID) AND owner_id = \(caller.ownerID) FOR UPDATE
                """).first else { throw APIProblem.productNotFound }
            let status = try ProductStatusColumn.decode(product)
            let version = try product.decode(Int.self, column: "selection_version")
            let iteration = try product.decode(Int.self, column: "iteration")
            guard Self.allowedFrom.contains(status) else {
                throw APIProblem.invalidState(
                    "a design can be selected while the product is awaiting_selection, generating_mockups, ready_for_sale or failed; it is \(status.rawValue)")
            }
            guard let asset = try connection.query("""
                SELECT is_primary_design FROM product_assets
                WHERE id = \(assetID) AND product_id = \(productID) AND asset_role = 'design'
                  AND generation_status = 'succeeded'
                """).first else {
                throw APIProblem.validation("asset_id is not a selectable design of this product", field: "asset_id")
            }
            if try asset.decode(Bool.self), status != .awaitingSelection, status != .failed {
                return AcceptedProduct(id: productID, status: status, iteration: iteration, selectionVersion: version)
            }
            if status == .failed {
                let note = "re-selection of a failed product"
                if case .insufficient = try ProductRevival.reReserveRefunded(product: productID, owner: caller.ownerID, note: note, on: connection) {
                    throw APIProblem.insufficientCredits
                }
            }
            let newVersion = try Self.select(
                assetID, of: productID, productType: try product.decode(String.self, column: "product_type"),
                shirtColor: try product.decode(String.self, column: "shirt_color"),
                placement: try PrintPlacement.decode(product), on: connection)
            return AcceptedProduct(id: productID, status: .generatingMockups, iteration: iteration, selectionVersion: newVersion)
        }
    }

    /// The selection itself, inside the caller's transaction with the product row locked:
    /// archive the previous primary and mockups, make `assetID` the active primary, bump
    /// `selection_version`, move to `generating_mockups`, supersede waiting mockup jobs of
    /// older selections and enqueue both mockups. The shopper's selection and a product
    /// made from the library (which selects its design at creation, from `draft`) both come
    /// through here. Returns the new selection version.
    static func select(
        _ assetID: UUID, of productID: UUID, productType: String, shirtColor: String, placement: PrintPlacement?,
        on connection: PostgresConnection
    ) throws -> Int {
        try archivePrevious(of: productID, on: connection)
        try connection.execute("""
            UPDATE product_assets SET is_primary_design = true, is_active = true, pending_selection = false,
                   archived_at = NULL, updated_at = now()
            WHERE id = \(assetID)
            """)
        let newVersion = try connection.query("""
            UPDATE products SET selection_version = selection_version + 1, updated_at = now()
            WHERE id = \(productID) RETURNING selection_version
            """)[0].decode(Int.self)
        guard case .changed = try ProductTransition.move(productID, to: .generatingMockups, on: connection) else {
            throw IntakeError.unexpected("the product refused generating_mockups")
        }
        try JobTransition.supersedeWaitingJobs(ofProduct: productID, kinds: [JobKinds.mockupFlatLay, JobKinds.mockupMrImagine], on: connection)
        try enqueueMockups(
            of: productID, assetID: assetID, version: newVersion, productType: productType, shirtColor: shirtColor,
            placement: placement, on: connection)
        return newVersion
    }

    /// Order matters: the old primary is released before the new one is set (at most
    /// one primary per product, by a unique index).
    private static func archivePrevious(of productID: UUID, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE product_assets
            SET is_primary_design = false, is_active = false, archived_at = now(), updated_at = now()
            WHERE product_id = \(productID) AND is_primary_design
            """)
        try connection.execute("""
            UPDATE product_assets SET is_active = false, archived_at = now(), updated_at = now()
            WHERE product_id = \(productID) AND asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine') AND archived_at IS NULL
            """)
        try connection.execute("""
            UPDATE product_assets SET pending_selection = false, updated_at = now()
            WHERE product_id = \(productID) AND asset_role = 'design' AND pending_selection
            """)
    }

    /// A flat-lay and an mr_imagine job rendering `assetID` for selection `version`, through
    /// the outbox (a selection, and a library sync's staged design). Returns their ids.
    @discardableResult
    static func enqueueMockups(
        of productID: UUID, assetID: UUID, version: Int, productType: String, shirtColor: String, placement: PrintPlacement?,
        on connection: PostgresConnection
    ) throws -> [UUID] {
        let payload = try JSONEncoder().encode(MockupJobPayload(
            productID: productID, selectionVersion: version, designAssetID: assetID,
            productType: productType, shirtColor: shirtColor, placement: placement))
        return try [JobKinds.mockupFlatLay, JobKinds.mockupMrImagine].map { kind in
            guard let queue = JobKinds.queue(for: kind) else { throw IntakeError.unexpected("no queue for \(kind)") }
            return try JobRequest(kind: kind, queue: queue, payload: payload, productID: productID, selectionVersion: version)
                .enqueue(on: connection)
        }
    }
}
