import Foundation

/// `POST /v1/library/designs/{id}/products` body: `{library_version?, items: [{product_type,
/// shirt_color, placement?}, …]}` — one product per item, 1 to ``maxItems`` items.
struct LibraryBatchRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["library_version", "items"]
    static let maxItems = 50

    struct Item: StrictRequestBody, Sendable {
        static let members: Set<String> = ["product_type", "shirt_color", "placement"]

        var productType: String
        var shirtColor: String
        var placement: PlacementRequest?

        private enum CodingKeys: String, CodingKey {
            case productType = "product_type", shirtColor = "shirt_color", placement
        }

        init(productType: String, shirtColor: String, placement: PlacementRequest? = nil) {
            self.productType = productType
            self.shirtColor = shirtColor
            self.placement = placement
        }

        init(from decoder: any Decoder) throws {
            try Self.rejectUnknownMembers(in: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            productType = try container.decode(String.self, forKey: .productType)
            shirtColor = try container.decode(String.self, forKey: .shirtColor)
            if container.contains(.placement), try container.decodeNil(forKey: .placement) {
                throw APIProblem.validation("placement must be a preset name or an object; omit it for the default", field: "placement")
            }
            placement = try container.decodeIfPresent(PlacementRequest.self, forKey: .placement)
        }
    }

    var version: Int?
    var items: [Item]

    private enum CodingKeys: String, CodingKey {
        case version = "library_version", items
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.version), try container.decodeNil(forKey: .version) {
            throw APIProblem.validation("library_version must not be null; omit it for the latest", field: "library_version")
        }
        do {
            version = try container.decodeIfPresent(Int.self, forKey: .version)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw APIProblem.validation("library_version must be an integer", field: "library_version")
        }
        items = try container.decode([Item].self, forKey: .items)
        guard (1...Self.maxItems).contains(items.count) else {
            throw APIProblem.validation("items must hold 1 to \(Self.maxItems) combinations", field: "items")
        }
    }
}
