import Foundation
import Mockups

/// A validated create request, normalised (prompt trimmed, default candidate count
/// applied). Its ``canonicalJSON`` is what the idempotency fingerprint hashes, so two
/// bodies that mean the same product (whitespace, member order, an explicit default)
/// are the same request.
struct ProductDraft: Sendable, Equatable, Encodable {
    var prompt: String
    var productType: String
    var shirtColor: String
    var candidates: Int
    /// `nil` only when the catalogue declares no placements for the type.
    var placement: Placement?

    private enum CodingKeys: String, CodingKey {
        case prompt, productType = "product_type", shirtColor = "shirt_color", candidates, placement
    }

    /// The placement as JSON text for the `products.placement` column.
    func placementJSON() throws -> String? {
        try placement.map { try SortedJSON.text($0) }
    }

    /// Sorted keys, no insignificant whitespace.
    func canonicalJSON() throws -> String {
        try SortedJSON.text(self, escapingSlashes: false)
    }

    /// The shape `products` accepts for type and colour names (`^[a-z0-9_]{1,64}$`).
    static func isCatalogueName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
