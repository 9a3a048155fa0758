import Foundation

/// One product in `GET|POST /v1/library/designs/{id}/sync`: what moving it to the design's
/// latest version changes (never a field it overrides: those are listed as kept), and what
/// became of it.
///
/// `result`: `would_sync` (preview) / `started` (applied: both mockups are rendering; the
/// product stays on sale with its old images until they are done), `up_to_date`,
/// `in_progress` (a sync to the latest version is already rendering), `skipped` (not on
/// sale: only a product on sale is synced), `refused` (the latest version's colour or
/// placement is not offered for the product's garment; `reason` says which).
struct LibrarySyncItem: Encodable, Sendable {
    struct Change: Encodable, Sendable, Equatable {
        var field: String
        var from: String
        var to: String
    }

    var productID: UUID
    var status: String
    var version: Int
    var result: String
    var reason: String?
    var changes: [Change] = []
    var keptOverrides: [String] = []
    var jobIDs: [UUID] = []

    private enum CodingKeys: String, CodingKey {
        case productID = "product_id", status, version, result, reason, changes
        case keptOverrides = "kept_overrides", jobIDs = "job_ids"
    }
}

/// The body of both sync answers.
struct LibrarySyncAnswer: Encodable, Sendable {
    var designID: UUID
    var latestVersion: Int
    var applied: Bool
    var products: [LibrarySyncItem]

    private enum CodingKeys: String, CodingKey {
        case designID = "design_id", latestVersion = "latest_version", applied, products
    }
}
