public import Foundation

/// Who is calling: the API key and its owner. An owner sees only its own products.
public struct Caller: Sendable, Hashable {
    public var keyID: UUID
    public var ownerID: UUID

    public init(keyID: UUID, ownerID: UUID) {
        self.keyID = keyID
        self.ownerID = ownerID
    }
}
