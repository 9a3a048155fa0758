public import Foundation

/// Payload of a `mockup.flat_lay` or `mockup.mr_imagine` job: exactly which design asset
/// to composite, for which selection of the product.
public struct MockupJobPayload: Codable, Sendable, Equatable {
    public var productID: UUID
    public var selectionVersion: Int
    public var designAssetID: UUID
    public var productType: String
    public var shirtColor: String

    enum CodingKeys: String, CodingKey {
        case productID = "product_id", selectionVersion = "selection_version", designAssetID = "design_asset_id"
        case productType = "product_type", shirtColor = "shirt_color"
    }

    public init(productID: UUID, selectionVersion: Int, designAssetID: UUID, productType: String, shirtColor: String) {
        self.productID = productID
        self.selectionVersion = selectionVersion
        self.designAssetID = designAssetID
        self.productType = productType
        self.shirtColor = shirtColor
    }
}
