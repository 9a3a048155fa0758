import Foundation
import Mockups
import Settings

/// `POST /v1/products` body: `{prompt, product_type, shirt_color, candidates?, placement?}`,
/// or, for a product made from the shop's library, `library_design_id` (and
/// `library_version`, default the latest) instead of `prompt` and `candidates`.
struct CreateProductRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = [
        "prompt", "product_type", "shirt_color", "candidates", "placement", "library_design_id", "library_version",
    ]

    var prompt: String?
    var libraryDesignID: UUID?
    var libraryVersion: Int?
    var productType: String
    var shirtColor: String
    var candidates: Int?
    var placement: PlacementRequest?

    private enum CodingKeys: String, CodingKey {
        case prompt, productType = "product_type", shirtColor = "shirt_color", candidates, placement
        case libraryDesignID = "library_design_id", libraryVersion = "library_version"
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
        for key in [CodingKeys.prompt, .libraryDesignID, .libraryVersion] where container.contains(key) {
            if try container.decodeNil(forKey: key) {
                throw APIProblem.validation("\(key.rawValue) must not be null; omit it instead", field: key.rawValue)
            }
        }
        prompt = try container.decodeIfPresent(String.self, forKey: .prompt)
        if let text = try container.decodeIfPresent(String.self, forKey: .libraryDesignID) {
            guard let id = UUID(uuidString: text) else {
                throw APIProblem.validation("library_design_id must be a UUID", field: "library_design_id")
            }
            libraryDesignID = id
        }
        do {
            libraryVersion = try container.decodeIfPresent(Int.self, forKey: .libraryVersion)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw APIProblem.validation("library_version must be an integer", field: "library_version")
        }
        switch (prompt, libraryDesignID) {
        case (nil, nil):
            throw APIProblem.validation("prompt is required (or library_design_id, for a product from the library)", field: "prompt")
        case (.some, .some):
            throw APIProblem.validation("send either prompt or library_design_id, not both", field: "library_design_id")
        case (nil, .some) where container.contains(.candidates):
            throw APIProblem.validation("a product from the library has its design: omit candidates", field: "candidates")
        case (.some, nil) where libraryVersion != nil:
            throw APIProblem.validation("library_version needs library_design_id", field: "library_version")
        default:
            break
        }
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
        guard let given = self.prompt else { throw APIProblem.validation("prompt is required", field: "prompt") }
        let prompt = try TextField.validate(given, field: "prompt")
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

    /// The library draft when the request names a library design (nil for a prompt).
    func libraryDraft(catalog: TemplateCatalog) throws -> LibraryDraft? {
        guard let libraryDesignID else { return nil }
        return try LibraryDraft.validated(
            designID: libraryDesignID, version: libraryVersion, productType: productType, shirtColor: shirtColor,
            placement: placement, catalog: catalog)
    }
}
