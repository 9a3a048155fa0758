public import Foundation
public import Mockups
public import Storage

/// Where a mockup job stores its PNG: `products/<product>/mockups/<selection_version>/<kind>/<job>.png`.
///
/// One key per job, derived only from the job: a redelivered or replayed job overwrites
/// its own object instead of leaving a second one behind, and the key is unique per job in
/// `product_assets.storage_key` as the schema requires.
public enum MockupStorageKey {
    public static func make(productID: UUID, selectionVersion: Int, kind: MockupKind, jobID: UUID) throws -> StorageKey {
        let product = productID.uuidString.lowercased(), job = jobID.uuidString.lowercased()
        return try StorageKey("products/\(product)/mockups/\(selectionVersion)/\(kind.rawValue)/\(job).png")
    }
}
