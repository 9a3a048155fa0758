import Foundation

/// JSON text with sorted keys: the canonical form a create request's idempotency fingerprint
/// hashes, and the form a placement is stored in (`products.placement`). One encoder setting
/// for both kinds of draft, so a prompt product and a library product fingerprint alike.
enum SortedJSON {
    static func text(_ value: some Encodable, escapingSlashes: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
