import Foundation

/// JSON for people: `dlq show`'s body and the console's headers.
public enum JSONText {
    /// The text indented, keys sorted; the text itself when it is not JSON.
    public static func pretty(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}
