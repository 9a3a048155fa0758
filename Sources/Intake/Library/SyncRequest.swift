import Foundation

/// `POST /v1/library/designs/{id}/sync` body: `{product_ids?: [uuid, …]}` — the products to
/// move to the design's latest version (omitted: every product made from the design).
struct SyncRequest: StrictRequestBody, Sendable {
    static let members: Set<String> = ["product_ids"]
    static let maxProducts = 500

    var productIDs: [UUID]?

    private enum CodingKeys: String, CodingKey {
        case productIDs = "product_ids"
    }

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownMembers(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.contains(.productIDs) else { return }
        let texts: [String]
        do {
            texts = try container.decode([String].self, forKey: .productIDs)
        } catch {
            throw APIProblem.validation("product_ids must be an array of product ids; omit it for every product", field: "product_ids")
        }
        guard (1...Self.maxProducts).contains(texts.count) else {
            throw APIProblem.validation("product_ids must hold 1 to \(Self.maxProducts) ids", field: "product_ids")
        }
        productIDs = try texts.enumerated().map { index, text in
            guard let id = UUID(uuidString: text) else {
                throw APIProblem.validation("product_ids[\(index)] must be a UUID", field: "product_ids")
            }
            return id
        }
    }
}
