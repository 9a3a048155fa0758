public import Foundation

/// Payload of a `mockup.flat_lay` or `mockup.mr_imagine` job: exactly which design asset
/// to composite, for which selection of the product.
public struct MockupJobPayload: Codable, Sendable, Equatable {
    public var productID: UUID
    public var selectionVersion: Int
    public var designAssetID: UUID
    public var productType: String
    public var shirtColor: String
    /// Where the mockups draw the design (`nil`: centred in the template's print area).
    public var placement: PrintPlacement?

    enum CodingKeys: String, CodingKey {
        case productID = "product_id", selectionVersion = "selection_version", designAssetID = "design_asset_id"
        case productType = "product_type", shirtColor = "shirt_color", placement
    }

    public init(productID: UUID, selectionVersion: Int, designAssetID: UUID, productType: String, shirtColor: String,
                placement: PrintPlacement? = nil) {
        self.placement = placement
        self.productID = productID
        self.selectionVersion = selectionVersion
        self.designAssetID = designAssetID
        self.productType = productType
        self.shirtColor = shirtColor
    }
}
