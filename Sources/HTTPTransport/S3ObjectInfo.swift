/// What a HEAD on an object reports.
public struct S3ObjectInfo: Sendable, Equatable {
    public var size: Int
    public var contentType: String?
    /// The ETag without surrounding quotes.
    public var etag: String?

    public init(size: Int, contentType: String?, etag: String?) {
        self.size = size
        self.contentType = contentType
        self.etag = etag
    }
}
