import Foundation

/// `library` of `GET /v1/products/{id}` for a product made from the shop's library: the
/// design, the version it uses, the design's latest version, and the fields it overrides.
struct ProductLibrarySource: Encodable, Sendable {
    var designID: UUID
    var version: Int
    var latestVersion: Int
    var overrides: [String]

    private enum CodingKeys: String, CodingKey {
        case designID = "design_id", version, latestVersion = "latest_version", overrides
    }
}
