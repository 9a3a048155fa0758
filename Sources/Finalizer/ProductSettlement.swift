public import Foundation
import JobRuntime
public import Postgres
import ProductFlow

/// Decides where a product stands from the database alone (DESIGN.md §1 step 6): events
/// and the sweep only say *which* product to look at, so a lost, late or duplicated event
/// changes nothing. Runs inside a transaction; the product row is locked first. A mockup
/// counts only when it is of the current selection, made from the primary design, and its
/// `template_info.design_sha256` is the primary's own hash (what was rendered is what is sold).
public enum ProductSettlement {
    public enum Decision: Sendable, Equatable {
        case promoted
        case failed(reason: String)
        case nothingToDo
    }

    @discardableResult
    public static func evaluate(_ productID: UUID, on connection: PostgresConnection) throws -> Decision {
        let rows = try connection.query("""
            SELECT status::text, iteration, selection_version FROM products WHERE id = \(productID) FOR UPDATE
            """)
        guard let row = rows.first else { return .nothingToDo }
        let (statusName, iteration, selection) = try row.decode((String, Int, Int).self)
        guard let status = ProductStatus(rawValue: statusName) else { return .nothingToDo }
        switch status {
        case .draft, .generatingDesigns:
            if let reason = try deadJob(kind: JobKinds.designGenerate, product: productID, iteration: iteration, selection: nil, on: connection) {
                return try fail(productID, reason: "design generation failed: \(reason)", on: connection)
            }
            return .nothingToDo
        case .generatingMockups:
            return try evaluateMockups(productID, selection: selection, on: connection)
        case .awaitingSelection, .readyForSale, .failed, .cancelled:
            return .nothingToDo
        }
    }

    private static func evaluateMockups(_ productID: UUID, selection: Int, on connection: PostgresConnection) throws -> Decision {
        let state = try connection.query("""
            WITH primary_design AS (
                SELECT id, encode(sha256, 'hex') AS design_sha256 FROM product_assets
                WHERE product_id = \(productID) AND is_primary_design AND is_active
            )
            SELECT
                (SELECT id FROM primary_design),
                EXISTS (SELECT 1 FROM product_assets a, primary_design p
                        WHERE a.product_id = \(productID) AND a.asset_role = 'mockup_flat_lay' AND a.is_active
                          AND a.selection_version = \(selection) AND a.source_asset_id = p.id
                          AND a.template_info->>'design_sha256' = p.design_sha256),
                EXISTS (SELECT 1 FROM product_assets a, primary_design p
                        WHERE a.product_id = \(productID) AND a.asset_role = 'mockup_mr_imagine' AND a.is_active
                          AND a.selection_version = \(selection) AND a.source_asset_id = p.id
                          AND a.template_info->>'design_sha256' = p.design_sha256),
                EXISTS (SELECT 1 FROM product_assets
                        WHERE product_id = \(productID) AND asset_role = 'mockup_mr_imagine'
                          AND generation_status = 'failed' AND selection_version = \(selection))
            """)[0]
        let (primaryDesign, flatLay, mrImagine, mrImagineFailedAsset) = try state.decode((UUID?, Bool, Bool, Bool).self)
        guard primaryDesign != nil else { return .nothingToDo }
        let mrImagineFailed = try mrImagineFailedAsset
            || deadJob(kind: JobKinds.mockupMrImagine, product: productID, iteration: nil, selection: selection, on: connection) != nil

        if flatLay && (mrImagine || mrImagineFailed) {
            let outcome = try ProductTransition.move(productID, to: .readyForSale, on: connection)
            guard case .changed = outcome else { return .nothingToDo }
            try Credits.consumeUnsettled(product: productID, on: connection)
            return .promoted
        }
        if !flatLay, let reason = try deadJob(kind: JobKinds.mockupFlatLay, product: productID, iteration: nil, selection: selection, on: connection) {
            return try fail(productID, reason: "flat-lay mockup failed: \(reason)", on: connection)
        }
        return .nothingToDo
    }

    private static func fail(_ productID: UUID, reason: String, on connection: PostgresConnection) throws -> Decision {
        let outcome = try ProductTransition.move(productID, to: .failed, failureReason: reason, on: connection)
        guard case .changed = outcome else { return .nothingToDo }
        try Credits.refundUnsettled(product: productID, on: connection)
        // Running jobs end by themselves (their commit finds the product failed).
        try JobTransition.cancelJobs(ofProduct: productID, excluding: [.running], on: connection)
        return .failed(reason: reason)
    }

    /// The last error of a dead job of `kind` for the current iteration or selection, if any.
    private static func deadJob(kind: String, product: UUID, iteration: Int?, selection: Int?, on connection: PostgresConnection) throws -> String? {
        let rows = try connection.query("""
            SELECT COALESCE(last_error, 'no error recorded') AS last_error FROM jobs
            WHERE product_id = \(product) AND kind = \(kind) AND state = 'dead'
              AND (\(iteration)::int IS NULL OR iteration = \(iteration))
              AND (\(selection)::int IS NULL OR selection_version = \(selection))
            ORDER BY finished_at DESC LIMIT 1
            """)
        return try rows.first?.decode(String.self, column: "last_error")
    }
}
