public import Storage

/// Where a thumbnail is cached in asset storage: beside nothing else, under
/// `thumbnails/w<width>/r<version>/<source key>`. Derived from the source's key, so an
/// asset's thumbnails can be found (and deleted with it) from its row alone.
public enum ThumbnailKey {
    /// Bumped when ``ThumbnailRenderer`` changes its output, so that new thumbnails are made
    /// under new keys (and new entity tags) instead of serving the old ones.
    public static let rendererVersion = 1

    public static func derived(from source: StorageKey, width: ThumbnailWidth) throws(StorageError) -> StorageKey {
        try StorageKey("thumbnails/w\(width.pixels)/r\(rendererVersion)/\(source.rawValue)")
    }

    /// Every thumbnail key an asset stored under `source` may have.
    public static func all(from source: StorageKey) throws(StorageError) -> [StorageKey] {
        try ThumbnailWidth.allCases.map { (width) throws(StorageError) in try derived(from: source, width: width) }
    }
}
