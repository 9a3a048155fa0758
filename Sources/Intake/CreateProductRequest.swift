import Foundation
import Mockups
import Settings

/// `POST /v1/products` body: `{prompt, product_type, shirt_color, candidates?, placement?}`.
struct CreateProductRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["prompt", "product_type", "shirt_color", "candidates", "placement"]

    var prompt: String
    var productType: String
    var shirtColor: String
    var candidates: Int?
    var placement: PlacementRequest?

    private enum CodingKeys: String, CodingKey {
        case prompt, productType = "product_type", shirtColor = "shirt_color", candidates, placement
    }

    init(prompt: String, productType: String, shirtColor: String, candidates: Int?) {
        self.prompt = prompt
        self.productType = productType
        self.shirtColor = shirtColor
        self.candidates = candidates
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try container.decode(String.self, forKey: .prompt)
        productType = try container.decode(String.self, forKey: .productType)
        shirtColor = try container.decode(String.self, forKey: .shirtColor)
        // `null` is not an integer (the document says integer): omit the member instead.
        if container.contains(.candidates), try container.decodeNil(forKey: .candidates) {
            throw APIProblem.validation("candidates must be an integer", field: "candidates")
        }
        do {
            candidates = try container.decodeIfPresent(Int.self, forKey: .candidates)
        } catch let error as DecodingError {
            throw error
        } catch {
            // A number that is not an integer (2.5, 1e99): Foundation's decoder throws an
            // internal error here and reports it to the caller as "not valid JSON".
            throw APIProblem.validation("candidates must be an integer", field: "candidates")
        }
        if container.contains(.placement), try container.decodeNil(forKey: .placement) {
            throw APIProblem.validation("placement must be a preset name or an object; omit it for the default", field: "placement")
        }
        placement = try container.decodeIfPresent(PlacementRequest.self, forKey: .placement)
    }

    /// Checks every member; the product type and colour must be in the template catalogue,
    /// and `candidates` within what the design worker makes (`maxCandidates`, from
    /// `ITP_DESIGN_CANDIDATES_MAX`). Omitted, it is 4, or the maximum when that is lower.
    /// `placement` must be one of the type's presets or a box inside one of its printable areas.
    func validated(catalog: TemplateCatalog, maxCandidates: Int) throws -> ProductDraft {
        let prompt = try TextField.validate(prompt, field: "prompt")
        guard let type = catalog.manifest.productTypes[productType], ProductDraft.isCatalogueName(productType) else {
            let known = catalog.manifest.productTypes.keys.sorted().joined(separator: ", ")
            throw APIProblem.validation("product_type must be one of: \(known)", field: "product_type")
        }
        guard type.colors[shirtColor] != nil, ProductDraft.isCatalogueName(shirtColor) else {
            let known = type.colors.keys.sorted().joined(separator: ", ")
            throw APIProblem.validation("shirt_color must be one of (for \(productType)): \(known)", field: "shirt_color")
        }
        let count = candidates ?? min(ProductFlowDefaults.candidates, maxCandidates)
        guard (1...maxCandidates).contains(count) else {
            throw APIProblem.validation("candidates must be from 1 to \(maxCandidates)", field: "candidates")
        }
        // Omitted: the type's default preset (none in a catalogue without placements).
        let placement: Placement? = if let requested = self.placement {
            try requested.resolve(on: type, typeName: productType)
        } else {
            type.defaultPreset.flatMap { type.preset($0) }
        }
        return ProductDraft(prompt: prompt, productType: productType, shirtColor: shirtColor, candidates: count, placement: placement)
    }
}
