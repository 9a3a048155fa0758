public import Foundation
public import Postgres

/// The one place that changes `products.status`: it locks the row, asks
/// ``ProductStatus/canTransition(to:)``, and writes. Every process goes through here.
/// A move also ends a library sync under way (``LibrarySyncSwap``): a sync only stages on a
/// product on sale, and its staged mockups must not outlive a re-selection or a cancel.
public enum ProductTransition {
    public enum Outcome: Sendable, Equatable {
        case changed(from: ProductStatus)
        /// Already in the target status (a redelivered step): nothing written.
        case unchanged
        /// Not a legal move from the current status: nothing written.
        case refused(current: ProductStatus)
        case noSuchProduct
    }

    /// Moves `productID` to `status` if legal. Call inside a transaction.
    @discardableResult
    public static func move(
        _ productID: UUID, to status: ProductStatus, failureReason: String? = nil, on connection: PostgresConnection
    ) throws -> Outcome {
        let rows = try connection.query("SELECT status::text AS status FROM products WHERE id = \(productID) FOR UPDATE")
        guard let row = rows.first else { return .noSuchProduct }
        guard let current = ProductStatus(rawValue: try row.decode(String.self, column: "status")) else { return .noSuchProduct }
        if current == status, status != .generatingMockups { return .unchanged }
        guard current.canTransition(to: status) else { return .refused(current: current) }
        try connection.execute("""
            UPDATE products SET status = \(status.rawValue)::product_status, updated_at = now(),
                   failure_reason = CASE WHEN \(status.rawValue) = 'failed' THEN COALESCE(\(failureReason), 'failed')
                                         WHEN status = 'failed' THEN NULL ELSE failure_reason END,
                   ready_at = CASE WHEN \(status.rawValue) = 'ready_for_sale' THEN now() ELSE ready_at END,
                   sync_version_id = NULL, sync_design_asset_id = NULL, sync_shirt_color = NULL, sync_placement = NULL
            WHERE id = \(productID)
            """)
        // Wakes server-sent-event streams of this product (delivered at commit).
        try connection.execute("SELECT pg_notify('itp_product', \(productID.uuidString.lowercased()))")
        // The shop's webhooks, in this same transaction (outbox).
        if let event = WebhookEventType(status) { try WebhookOutbox.record(productID, type: event, on: connection) }
        return .changed(from: current)
    }
}
