public import Foundation
public import Storage

/// Where a design variant's blob lives. Deterministic per job, candidate and variant, so
/// a redelivered or retried job overwrites the same objects instead of adding new ones,
/// and its `product_assets` rows (unique per job, candidate, variant) point at them.
public enum DesignStorageKey {
    /// `products/<product>/designs/<iteration>/<job>/<candidate>-<variant>.png`
    public static func make(product: UUID, iteration: Int, job: UUID, candidate: Int, variant: DesignVariant) throws(StorageError) -> StorageKey {
        try StorageKey(
            "products/\(product.uuidString.lowercased())/designs/\(iteration)/\(job.uuidString.lowercased())/\(candidate)-\(variant.rawValue).png")
    }
}
