public import AssetImages
public import Foundation
public import ProductFlow

/// The JSON a receiver gets: the event with a stable `id` (de-duplicate on it: a delivery
/// may arrive more than once), its `type` and `created_at`, and its `data` — for
/// `product.ready_for_sale` the display list with signed, expiring image URLs a public page
/// can embed, signed when the delivery is sent.
public struct WebhookBody: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var slot: String
        var assetID: String
        var fallbackShows: String?
        var images: SignedImageSet

        private enum CodingKeys: String, CodingKey {
            case slot, assetID = "asset_id", fallbackShows = "fallback_shows", images
        }
    }

    struct Data: Encodable, Sendable {
        var productID: String
        var status: String
        var iteration: Int
        var selectionVersion: Int
        var gallery: [Item]?
        var failure: WebhookEventData.Failure?

        private enum CodingKeys: String, CodingKey {
            case productID = "product_id", status, iteration, selectionVersion = "selection_version", gallery, failure
        }
    }

    /// Ids are lowercase, as everywhere in the API.
    var id: String
    var type: String
    var createdAt: Date
    var data: Data

    public init(eventID: UUID, type: String, createdAt: Date, data event: WebhookEventData, signer: ImageURLSigner, now: Date = Date()) {
        id = eventID.uuidString.lowercased()
        self.type = type
        self.createdAt = createdAt
        data = Data(
            productID: event.productID.uuidString.lowercased(), status: event.status, iteration: event.iteration, selectionVersion: event.selectionVersion,
            gallery: event.gallery?.map {
                Item(slot: $0.slot, assetID: $0.assetID.uuidString.lowercased(), fallbackShows: $0.fallbackShows, images: SignedImageSet($0.assetID, signer: signer, now: now))
            },
            failure: event.failure)
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, createdAt = "created_at", data
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
