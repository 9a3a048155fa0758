import Foundation

/// `POST /v1/library/designs` body: `{product_id, name, tags?}` — save the product's
/// selected design (all of its variants) to the shop's library.
struct SaveDesignRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["product_id", "name", "tags"]
    /// Tags per design, and characters per tag.
    static let maxTags = 20
    static let maxTagLength = 50

    var productID: UUID
    var name: String
    var tags: [String]

    private enum CodingKeys: String, CodingKey {
        case productID = "product_id", name, tags
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .productID)
        guard let id = UUID(uuidString: text) else { throw APIProblem.validation("product_id must be a UUID", field: "product_id") }
        productID = id
        name = try Self.name(try container.decode(String.self, forKey: .name))
        if container.contains(.tags), try container.decodeNil(forKey: .tags) {
            throw APIProblem.validation("tags must be an array of strings; omit it for none", field: "tags")
        }
        tags = try Self.tags(try container.decodeIfPresent([String].self, forKey: .tags) ?? [])
    }

    /// The design's name, checked as the API checks it (the builder's form uses it too).
    static func name(_ text: String) throws -> String {
        try TextField.validate(text, field: "name", maxLength: 200)
    }

    /// Tags checked, lower-cased, without repeats (the builder's form uses it too).
    static func tags(_ given: [String]) throws -> [String] {
        guard given.count <= maxTags else {
            throw APIProblem.validation("tags must hold at most \(maxTags) tags", field: "tags")
        }
        var tags: [String] = []
        for tag in given {
            let clean = try TextField.validate(tag, field: "tags", maxLength: maxTagLength).lowercased()
            if !tags.contains(clean) { tags.append(clean) }
        }
        return tags
    }
}
