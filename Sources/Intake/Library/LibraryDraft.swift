import Foundation
import Mockups

/// A validated request for a product made from a library design: the design, the version
/// (nil: the latest), the garment, colour and placement (omitted: the type's default
/// preset). Its ``canonicalJSON`` is the idempotency fingerprint, as a prompt draft's is.
struct LibraryDraft: Sendable, Equatable, Encodable {
    var designID: UUID
    var version: Int?
    var productType: String
    var shirtColor: String
    var placement: Placement?

    private enum CodingKeys: String, CodingKey {
        case designID = "library_design_id", version = "library_version", productType = "product_type", shirtColor = "shirt_color",
             placement
    }

    func placementJSON() throws -> String? {
        try placement.map { try SortedJSON.text($0) }
    }

    func canonicalJSON() throws -> String {
        try SortedJSON.text(self, escapingSlashes: false)
    }

    /// Checks the garment, colour and placement against the catalogue, as a prompt
    /// product's are checked.
    static func validated(
        designID: UUID, version: Int?, productType: String, shirtColor: String, placement requested: PlacementRequest?,
        catalog: TemplateCatalog, fieldPrefix: String = ""
    ) throws -> LibraryDraft {
        guard let type = catalog.manifest.productTypes[productType], ProductDraft.isCatalogueName(productType) else {
            let known = catalog.manifest.productTypes.keys.sorted().joined(separator: ", ")
            throw APIProblem.validation("product_type must be one of: \(known)", field: fieldPrefix + "product_type")
        }
        guard type.colors[shirtColor] != nil, ProductDraft.isCatalogueName(shirtColor) else {
            let known = type.colors.keys.sorted().joined(separator: ", ")
            throw APIProblem.validation("shirt_color must be one of (for \(productType)): \(known)", field: fieldPrefix + "shirt_color")
        }
        if let version, version < 1 {
            throw APIProblem.validation("library_version must be at least 1", field: fieldPrefix + "library_version")
        }
        let placement: Placement? = if let requested {
            try requested.resolve(on: type, typeName: productType)
        } else {
            type.defaultPreset.flatMap { type.preset($0) }
        }
        return LibraryDraft(designID: designID, version: version, productType: productType, shirtColor: shirtColor, placement: placement)
    }
}
