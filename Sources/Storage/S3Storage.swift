public import HTTPTransport

/// Asset storage in an S3-compatible bucket (`s3://bucket/prefix`), over ``S3Client``
/// (libcurl, SigV4). Every key lives under `prefix`, so one bucket can hold several
/// deployments. A PUT replaces the object atomically on the server side, so a reader
/// never sees a half-written object. Transfers run off the cooperative pool (the
/// client's async API).
public struct S3Storage: AssetStorage {
    public let client: S3Client
    /// Without leading or trailing `/`; empty means the bucket root.
    public let prefix: String

    public init(client: S3Client, prefix: String) {
        self.client = client
        var trimmed = Substring(prefix)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.prefix = String(trimmed)
    }

    /// The object key in the bucket for `key`.
    public func objectKey(_ key: StorageKey) -> String {
        prefix.isEmpty ? key.rawValue : prefix + "/" + key.rawValue
    }

    public func put(_ key: StorageKey, bytes: [UInt8], contentType: String) async throws {
        let objectKey = objectKey(key)
        do {
            try await client.put(key: objectKey, bytes: bytes, contentType: contentType)
        } catch {
            throw StorageError(s3: error, operation: "put", key: key)
        }
    }

    public func get(_ key: StorageKey) async throws -> [UInt8] {
        let objectKey = objectKey(key)
        do {
            return try await client.get(key: objectKey)
        } catch {
            throw StorageError(s3: error, operation: "get", key: key)
        }
    }

    public func exists(_ key: StorageKey) async throws -> Bool {
        let objectKey = objectKey(key)
        do {
            return try await client.head(key: objectKey) != nil
        } catch {
            throw StorageError(s3: error, operation: "head", key: key)
        }
    }

    public func delete(_ key: StorageKey) async throws {
        let objectKey = objectKey(key)
        do {
            try await client.delete(key: objectKey)
        } catch {
            throw StorageError(s3: error, operation: "delete", key: key)
        }
    }
}
