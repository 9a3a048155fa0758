/// Where asset blobs live, behind one interface (DESIGN.md §6): a local directory (the
/// embedded default) or S3-compatible object storage. Implementations are safe to call
/// from many tasks at once and never run blocking I/O on the cooperative pool.
public protocol AssetStorage: Sendable {
    /// Stores `bytes` under `key`, replacing what was there. A reader never sees a
    /// half-written object.
    func put(_ key: StorageKey, bytes: [UInt8], contentType: String) async throws
    /// The object's bytes; throws ``StorageError`` with code `.notFound` when missing.
    func get(_ key: StorageKey) async throws -> [UInt8]
    /// Whether the object exists.
    func exists(_ key: StorageKey) async throws -> Bool
    /// Deletes the object; deleting a missing object is not an error.
    func delete(_ key: StorageKey) async throws
}
