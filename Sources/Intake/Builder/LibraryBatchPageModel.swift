import Foundation

/// The answer to "use this design on…": one line per ticked garment, in the order sent —
/// created (a link to its product page) or refused (the reason in words). Built from the
/// batch's JSON answer, so a replayed answer (the same form sent twice) reads the same.
struct LibraryBatchPageModel: Sendable {
    struct Item: Sendable {
        var garment: String
        var created: Bool
        var productID: String?
        var reason: String?
    }

    var user: UserBar
    var flash: Flash?
    var designName: String
    var items: [Item]
    var created: Int
    var refused: Int
    var replayed: Bool

    /// The batch answer as ``LibraryBatchResult`` encodes it.
    private struct Answer: Decodable {
        struct Item: Decodable {
            struct Product: Decodable { var id: UUID }
            struct Refusal: Decodable { var detail: String }
            var productType: String
            var shirtColor: String
            var result: String
            var product: Product?
            var refusal: Refusal?

            private enum CodingKeys: String, CodingKey {
                case productType = "product_type", shirtColor = "shirt_color", result, product, refusal
            }
        }

        var created: Int
        var refused: Int
        var items: [Item]
    }

    init(json: String, replayed: Bool, designName: String, user: UserBar) throws {
        let answer = try JSONDecoder().decode(Answer.self, from: Data(json.utf8))
        self.user = user
        self.designName = designName
        self.replayed = replayed
        created = answer.created
        refused = answer.refused
        items = answer.items.map { item in
            Item(garment: PageText.garment(type: item.productType, color: item.shirtColor), created: item.result == "created",
                 productID: item.product?.id.uuidString.lowercased(), reason: item.refusal.map { PageText.sentence($0.detail) })
        }
        flash = replayed ? .info("This form was already sent: nothing new was created. Here is what it did.") : nil
    }
}
