public import Foundation

/// Payload of a `design.generate` job: one iteration of candidates for a product.
public struct DesignJobPayload: Codable, Sendable, Equatable {
    public var productID: UUID
    public var iteration: Int
    public var candidates: Int
    public var prompt: String
    public var productType: String
    public var shirtColor: String
    /// Regenerate-with-feedback: the shopper's feedback on the previous iteration.
    public var feedback: String?
    /// Regenerate-with-feedback: a design asset of the previous iteration to send as a reference.
    public var referenceAssetID: UUID?
    /// Seed for deterministic providers (the built-in generator).
    public var seed: UInt64
    /// The product's placement, which sizes the `dtf` variant (`nil`: the fixed default size).
    public var placement: PrintPlacement?

    enum CodingKeys: String, CodingKey {
        case productID = "product_id", iteration, candidates, prompt
        case productType = "product_type", shirtColor = "shirt_color", feedback
        case referenceAssetID = "reference_asset_id", seed, placement
    }

    public init(productID: UUID, iteration: Int, candidates: Int, prompt: String, productType: String, shirtColor: String,
                feedback: String? = nil, referenceAssetID: UUID? = nil, seed: UInt64, placement: PrintPlacement? = nil) {
        self.placement = placement
        self.productID = productID
        self.iteration = iteration
        self.candidates = candidates
        self.prompt = prompt
        self.productType = productType
        self.shirtColor = shirtColor
        self.feedback = feedback
        self.referenceAssetID = referenceAssetID
        self.seed = seed
    }
}
