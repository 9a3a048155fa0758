/// Object storage over S3's REST API, signed by libcurl's SigV4.
///
/// Blocking methods block the calling thread; each has an `async` overload
/// (see `S3Client+Async.swift`) that runs the transfer off the Swift
/// concurrency pool.
public final class S3Client: Sendable {
    public let configuration: S3Configuration
    let http: HTTPClient
    let urls: S3URL

    /// - Parameter http: the transport; its `maxResponseBytes` bounds `get`.
    public init(configuration: S3Configuration, http: HTTPClient = HTTPClient()) {
        self.configuration = configuration
        self.http = http
        self.urls = S3URL(configuration: configuration)
    }

    /// Stores `bytes` under `key`, replacing any existing object.
    public func put(key: String, bytes: [UInt8], contentType: String) throws(HTTPError) {
        try S3Operation.put(key: key, bytes: bytes, contentType: contentType, self).run(http)
    }

    /// The object's bytes; throws ``HTTPError/Code/notFound`` when it does not exist.
    public func get(key: String) throws(HTTPError) -> [UInt8] {
        try S3Operation.get(key: key, self).run(http).body
    }

    /// Size, type and ETag of the object, or `nil` when it does not exist.
    public func head(key: String) throws(HTTPError) -> S3ObjectInfo? {
        try S3Operation.head(key: key, self).runHead(http)
    }

    /// Removes the object. Deleting a missing key succeeds, as in S3.
    public func delete(key: String) throws(HTTPError) {
        try S3Operation.delete(key: key, self).run(http)
    }

    /// Creates the configured bucket (setup and tests; production buckets are
    /// provisioned by operators).
    public func createBucket() throws(HTTPError) {
        try S3Operation.createBucket(self).run(http)
    }
}
