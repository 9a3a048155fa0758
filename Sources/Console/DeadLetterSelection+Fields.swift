import Foundation
import Operations
import WebPages

/// The dead-letter filters as the console's forms and links carry them (`queue`, `kind`,
/// `error_class`, `stage`, `since`, `until`, `product`, `q`, `unresolved`).
extension DeadLetterSelection {
    static let fieldNames = ["queue", "kind", "error_class", "stage", "since", "until", "product", "q", "unresolved"]

    /// Empty fields are no filter; a product that is not an id is refused in words.
    init(fields: (String) -> String?) throws {
        func value(_ name: String) -> String? {
            guard let text = fields(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        var product: UUID?
        if let text = value("product") {
            guard let id = UUID(uuidString: text) else {
                throw PageProblem(status: .badRequest, heading: "Filter not understood", message: "The product must be a product id.")
            }
            product = id
        }
        self.init(
            queue: value("queue"), kind: value("kind"), errorClass: value("error_class"), stage: value("stage"), since: value("since"),
            until: value("until"), product: product, text: value("q"), unresolved: value("unresolved") != nil)
        if let problem { throw PageProblem(status: .badRequest, heading: "Filter not understood", message: problem.prefix(1).uppercased() + problem.dropFirst() + ".") }
    }

    /// The filters as `name=value` pairs (empty ones left out), for links and hidden fields.
    var fields: [(name: String, value: String)] {
        let pairs: [(String, String?)] = [
            ("queue", queue), ("kind", kind), ("error_class", errorClass), ("stage", stage), ("since", since), ("until", until),
            ("product", product?.uuidString.lowercased()), ("q", text), ("unresolved", unresolved ? "1" : nil),
        ]
        return pairs.compactMap { name, value in value.map { (name, $0) } }
    }

    var queryString: String {
        fields.map { "\($0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }
}
