extension S3Client {
    /// See the blocking ``put(key:bytes:contentType:)``; runs off the concurrency pool.
    public func put(key: String, bytes: [UInt8], contentType: String) async throws(HTTPError) {
        try await S3Operation.put(key: key, bytes: bytes, contentType: contentType, self).run(http)
    }

    public func get(key: String) async throws(HTTPError) -> [UInt8] {
        try await S3Operation.get(key: key, self).run(http).body
    }

    public func head(key: String) async throws(HTTPError) -> S3ObjectInfo? {
        try await S3Operation.head(key: key, self).runHead(http)
    }

    public func delete(key: String) async throws(HTTPError) {
        try await S3Operation.delete(key: key, self).run(http)
    }

    public func createBucket() async throws(HTTPError) {
        try await S3Operation.createBucket(self).run(http)
    }
}
