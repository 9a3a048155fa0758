/// An image response's body and the headers that describe it.
public struct ServedImage: Sendable {
    public var bytes: [UInt8]
    public var contentType: String
    public var entityTag: EntityTag

    public init(bytes: [UInt8], contentType: String, entityTag: EntityTag) {
        self.bytes = bytes
        self.contentType = contentType
        self.entityTag = entityTag
    }
}
