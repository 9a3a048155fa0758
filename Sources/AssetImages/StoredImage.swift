/// What the database records about one stored image asset: enough to name its blob, its
/// thumbnails and its entity tag without reading the blob.
public struct StoredImage: Sendable, Hashable {
    /// The blob's key in asset storage.
    public var storageKey: String
    public var contentType: String
    /// SHA-256 of the blob (32 bytes), as recorded with the asset.
    public var sha256: [UInt8]
    /// The image's width in pixels, as recorded; decides whether a thumbnail is smaller.
    public var width: Int

    public init(storageKey: String, contentType: String, sha256: [UInt8], width: Int) {
        self.storageKey = storageKey
        self.contentType = contentType
        self.sha256 = sha256
        self.width = width
    }

    /// Whether a `width` thumbnail is a different, smaller image; when not, the original is served.
    public func needsThumbnail(_ width: ThumbnailWidth?) -> Bool {
        guard let width else { return false }
        return self.width > width.pixels
    }

    /// The strong entity tag of what a request for `width` serves: the blob's SHA-256 in hex,
    /// with the thumbnail's width and renderer version when a thumbnail is served. It is
    /// known from the row alone, so a conditional request is answered without touching storage.
    public func entityTag(_ width: ThumbnailWidth?) -> EntityTag {
        let hex = sha256.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
        guard let width, needsThumbnail(width) else { return EntityTag(opaque: hex) }
        return EntityTag(opaque: "\(hex)-w\(width.pixels)-r\(ThumbnailKey.rendererVersion)")
    }
}
