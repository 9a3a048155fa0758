import Foundation

/// The answer to a batch: one result per item, in the request's order.
struct LibraryBatchResult: Encodable, Sendable {
    struct Refusal: Encodable, Sendable {
        var code: String
        var detail: String
        var field: String?

        init(_ problem: APIProblem) {
            code = problem.code.rawValue
            detail = problem.detail
            field = problem.field
        }
    }

    struct Item: Encodable, Sendable {
        var index: Int
        var productType: String
        var shirtColor: String
        /// `created` or `refused`.
        var result: String
        var product: AcceptedProduct?
        var refusal: Refusal?

        private enum CodingKeys: String, CodingKey {
            case index, productType = "product_type", shirtColor = "shirt_color", result, product, refusal
        }
    }

    var designID: UUID
    var version: Int
    var created: Int
    var refused: Int
    var estimatedCost: Int
    var items: [Item]

    private enum CodingKeys: String, CodingKey {
        case designID = "library_design_id", version = "library_version", created, refused, estimatedCost = "estimated_cost", items
    }
}
