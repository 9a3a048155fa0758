import Foundation

/// The `links` member of product responses: where to poll, pick, look and listen.
struct ProductLinks: Encodable, Sendable, Equatable {
    var `self`: String
    var designs: String
    var gallery: String
    var events: String

    init(_ id: UUID) {
        let base = "/v1/products/\(id.uuidString.lowercased())"
        self.`self` = base
        designs = base + "/designs"
        gallery = base + "/gallery"
        events = base + "/events"
    }

    static func content(_ asset: UUID) -> String {
        "/v1/assets/\(asset.uuidString.lowercased())/content"
    }
}
