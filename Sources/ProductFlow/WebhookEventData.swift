public import Foundation

/// What a webhook event says about its product, fixed at the transition that caused it
/// (`webhook_events.data`): a later re-selection does not change what an earlier
/// `product.ready_for_sale` showed. Image URLs are signed when a delivery is sent, from the
/// asset ids here.
public struct WebhookEventData: Codable, Sendable, Equatable {
    /// One image of the storefront's display list (DESIGN.md §1: design, flat-lay, mr_imagine).
    public struct GalleryItem: Codable, Sendable, Equatable {
        public var slot: String
        public var assetID: UUID
        /// For `mr_imagine` when its mockup failed terminally: the slot whose image is shown instead.
        public var fallbackShows: String?

        public init(slot: String, assetID: UUID, fallbackShows: String? = nil) {
            self.slot = slot
            self.assetID = assetID
            self.fallbackShows = fallbackShows
        }

        private enum CodingKeys: String, CodingKey {
            case slot, assetID = "asset_id", fallbackShows = "fallback_shows"
        }
    }

    /// A failure as the shop may see it: a code of the API's closed set and a message for
    /// the shopper; the internal reason stays in `products.failure_reason`.
    public struct Failure: Codable, Sendable, Equatable {
        public var code: String
        public var message: String

        /// From the finalizer's internal reason, which names the failed step first.
        public init(internalReason: String?) {
            let reason = internalReason ?? ""
            if reason.hasPrefix("design generation failed") {
                (code, message) = ("design_generation_failed", "the designs could not be generated; the reserved credits were refunded")
            } else if reason.hasPrefix("flat-lay mockup failed") {
                (code, message) = ("mockup_failed", "the mockup images could not be made")
            } else {
                (code, message) = ("failed", "the product could not be completed; the reserved credits were refunded")
            }
        }
    }

    public var productID: UUID
    public var status: String
    public var iteration: Int
    public var selectionVersion: Int
    /// `product.ready_for_sale` only: the display list, in order.
    public var gallery: [GalleryItem]?
    /// `product.failed` only.
    public var failure: Failure?

    public init(productID: UUID, status: String, iteration: Int, selectionVersion: Int, gallery: [GalleryItem]? = nil, failure: Failure? = nil) {
        self.productID = productID
        self.status = status
        self.iteration = iteration
        self.selectionVersion = selectionVersion
        self.gallery = gallery
        self.failure = failure
    }

    private enum CodingKeys: String, CodingKey {
        case productID = "product_id", status, iteration, selectionVersion = "selection_version", gallery, failure
    }
}
