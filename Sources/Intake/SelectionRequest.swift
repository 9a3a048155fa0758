import Foundation

/// `POST /v1/products/{id}/selection` body: `{asset_id}`.
struct SelectionRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["asset_id"]

    var assetID: UUID

    private enum CodingKeys: String, CodingKey {
        case assetID = "asset_id"
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let text = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .assetID)
        guard let id = UUID(uuidString: text) else { throw APIProblem.validation("asset_id must be a UUID", field: "asset_id") }
        assetID = id
    }
}
