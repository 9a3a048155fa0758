public import Foundation
public import Mockups
public import Storage

/// Where a mockup job's attempt stores its PNG:
/// `products/<product>/mockups/<selection_version>/<kind>/<job>.a<attempt>.png`.
///
/// One key per attempt, so an attempt that is still running after a later attempt of the
/// same job took over (its delivery was requeued when its broker connection broke) never
/// overwrites the blob the later attempt committed: the committed row always describes the
/// bytes under its key. A new attempt deletes what earlier attempts of its job left (none
/// of them committed, or it would not run), so a job leaves one blob. The key is unique per
/// job in `product_assets.storage_key` as the schema requires.
public enum MockupStorageKey {
    public static func make(productID: UUID, selectionVersion: Int, kind: MockupKind, jobID: UUID, attempt: Int) throws -> StorageKey {
        let product = productID.uuidString.lowercased(), job = jobID.uuidString.lowercased()
        return try StorageKey("products/\(product)/mockups/\(selectionVersion)/\(kind.rawValue)/\(job).a\(attempt).png")
    }
}
