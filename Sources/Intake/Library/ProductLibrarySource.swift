import Foundation

/// `library` of `GET /v1/products/{id}` for a product made from the shop's library: the
/// design, the version it uses, the design's latest version, and the fields it overrides;
/// while a sync renders, the version it moves to, and why the last sync failed, if it did.
struct ProductLibrarySource: Encodable, Sendable {
    var designID: UUID
    var version: Int
    var latestVersion: Int
    var overrides: [String]
    var syncingToVersion: Int?
    var syncFailure: String?

    private enum CodingKeys: String, CodingKey {
        case designID = "design_id", version, latestVersion = "latest_version", overrides
        case syncingToVersion = "syncing_to_version", syncFailure = "sync_failure"
    }
}
