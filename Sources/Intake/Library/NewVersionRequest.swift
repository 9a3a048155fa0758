import Foundation

/// `POST /v1/library/designs/{id}/versions` body: `{product_id}` — the product whose
/// selected design becomes the next version.
struct NewVersionRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["product_id"]

    var productID: UUID

    private enum CodingKeys: String, CodingKey {
        case productID = "product_id"
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let text = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .productID)
        guard let id = UUID(uuidString: text) else { throw APIProblem.validation("product_id must be a UUID", field: "product_id") }
        productID = id
    }
}
