import Foundation
import JobRuntime
import Mockups
import Postgres
import ProductFlow

/// What a successful mockup job writes, inside the runtime's success transaction (after
/// the runtime verified the claim): it re-checks the selection under the product's row
/// lock, retires the role's earlier mockups, activates this one and tells the finalizer.
/// A mockup rendered for a library sync's staged design waits inactive for the swap instead.
struct MockupActivation: Sendable {
    var payload: MockupJobPayload
    var kind: MockupKind
    var jobID: UUID
    var storageKey: String
    var width: Int
    var height: Int
    var byteSize: Int
    var sha256: [UInt8]
    /// `template_info` as JSON text.
    var templateInfo: String

    /// - Returns: `superseded`, having written nothing, when a selection committed while this
    ///   job rendered (seen under the product's lock): the runtime supersedes the job in this
    ///   same transaction — no rollback, no retry through a delay queue. Else `succeeded`.
    func apply(on connection: PostgresConnection) throws -> JobCompletion.Outcome {
        let role = kind.assetRole
        switch try SelectionCheck.status(of: payload, lock: true, on: connection) {
        case .stale(let reason):
            return .superseded(reason: "the selection changed while rendering (\(reason))")
        case .current(_, staged: true):
            // A library sync's mockup: an inactive row until its sibling commits too; the
            // commit of the second swaps design and both mockups at once (LibrarySyncSwap).
            try newAsset(active: false).insert(on: connection)
            try LibrarySyncSwap.completeIfRendered(payload.productID, on: connection)
            return .succeeded
        case .current, .noProduct:
            break
        }
        // Everything earlier of this role leaves the gallery: the active mockup and any
        // recorded failure (a success of a replayed job outranks its old failure).
        try connection.execute("""
            UPDATE product_assets SET is_active = false, archived_at = now(), updated_at = now()
            WHERE product_id = \(payload.productID) AND asset_role = \(role)::asset_role
              AND archived_at IS NULL AND job_id IS DISTINCT FROM \(jobID)
            """)
        let info = PostgresJSON(text: templateInfo)
        // A dead-lettered job that is replayed and succeeds already has its failed row
        // (one row per job, by the unique index): it becomes the success.
        let revived = try connection.execute("""
            UPDATE product_assets SET generation_status = 'succeeded', error_status = NULL, error_message = NULL,
                   storage_key = \(storageKey), content_type = 'image/png', width = \(width), height = \(height),
                   byte_size = \(byteSize), sha256 = \(sha256), template_info = \(info)::jsonb,
                   is_active = true, archived_at = NULL, updated_at = now()
            WHERE job_id = \(jobID) AND asset_role = \(role)::asset_role AND generation_status = 'failed'
            """)
        if revived == 0 {
            let id = try newAsset(active: true).insert(on: connection)
            // A re-run of this very job finds its own row: make sure that one is what shows.
            try connection.execute("""
                UPDATE product_assets SET is_active = true, archived_at = NULL, updated_at = now()
                WHERE id = \(id) AND NOT is_active
                """)
        }
        let event = FleetEvent(name: .mockupCompleted, productID: payload.productID, jobID: jobID,
                               selectionVersion: payload.selectionVersion, assetRole: role)
        try event.enqueue(on: connection)
        return .succeeded
    }

    /// This job's mockup as an asset row of the product, made from the payload's design.
    private func newAsset(active: Bool) -> NewAsset {
        var asset = NewAsset(productID: payload.productID, role: kind.assetRole, jobID: jobID, storageKey: storageKey,
                             width: width, height: height, byteSize: byteSize, sha256: sha256)
        asset.isActive = active
        asset.sourceAssetID = payload.designAssetID
        asset.selectionVersion = payload.selectionVersion
        asset.templateInfo = templateInfo
        return asset
    }
}
