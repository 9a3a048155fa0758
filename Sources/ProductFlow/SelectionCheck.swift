import Foundation
public import Postgres

/// Whether a mockup job's input is still what the product shows (DESIGN.md §3, "stale
/// work is harmless"): the product's `selection_version` is the job's, and the job's
/// design asset is still the product's primary design — or the design a library sync of the
/// product on sale has staged (``LibrarySyncSwap``). The mockup workers check it before
/// and after rendering; the finalizer before it records a dead mockup job's failure.
public enum SelectionCheck {
    public enum Status: Sendable, Equatable {
        /// Current; the design's blob is at `designStorageKey` (nil if the row has none).
        /// `staged`: the design is not the primary but the one a library sync is moving the
        /// product to, so the mockup is rendered for the swap, not for the gallery now.
        case current(designStorageKey: String?, staged: Bool)
        /// A newer selection (or a re-selection of another design) replaced it.
        case stale(reason: String)
        /// The product does not exist in this database.
        case noProduct
    }

    /// - Parameter lock: take the product row's lock (`FOR UPDATE`), so that no selection
    ///   can commit between this check and the writes of the same transaction. Selection
    ///   bumps `selection_version` on that row, so it waits for us, and we for it.
    public static func status(of payload: MockupJobPayload, lock: Bool, on connection: PostgresConnection) throws -> Status {
        let lockClause: SQL = lock ? "FOR UPDATE OF p" : ""
        let rows = try connection.query("""
            SELECT p.selection_version, a.id IS NOT NULL AS design_exists, COALESCE(a.is_primary_design, false) AS is_primary,
                   p.sync_design_asset_id IS NOT DISTINCT FROM a.id AND a.id IS NOT NULL AS is_staged, a.storage_key
            FROM products p
            LEFT JOIN product_assets a ON a.id = \(payload.designAssetID) AND a.product_id = p.id
            WHERE p.id = \(payload.productID)
            \(lockClause)
            """)
        guard let row = rows.first else { return .noProduct }
        let currentVersion = try row.decode(Int.self, column: "selection_version")
        guard currentVersion == payload.selectionVersion else {
            return .stale(reason: "selection \(payload.selectionVersion) is stale: the product is at selection \(currentVersion)")
        }
        guard try row.decode(Bool.self, column: "design_exists") else {
            return .stale(reason: "design asset \(payload.designAssetID) does not belong to the product")
        }
        let staged = try row.decode(Bool.self, column: "is_staged")
        guard try row.decode(Bool.self, column: "is_primary") || staged else {
            return .stale(reason: "design asset \(payload.designAssetID) is no longer the product's primary design")
        }
        return .current(designStorageKey: try row.decode(String?.self, column: "storage_key"), staged: staged)
    }
}
