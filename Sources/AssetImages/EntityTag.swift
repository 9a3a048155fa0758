import Foundation

/// A strong HTTP entity tag (RFC 9110 §8.8.3) and the `If-None-Match` comparison.
public struct EntityTag: Sendable, Hashable, CustomStringConvertible {
    /// The characters between the quotes.
    public var opaque: String

    public init(opaque: String) {
        self.opaque = opaque
    }

    /// The header value: `"opaque"`.
    public var description: String { "\"\(opaque)\"" }

    /// Whether an `If-None-Match` header value names this tag: `*`, or a comma-separated list
    /// of tags in which one matches by the weak comparison (a `W/` prefix is ignored), as
    /// RFC 9110 §13.1.2 asks for `If-None-Match`.
    public func matches(ifNoneMatch header: String) -> Bool {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return true }
        return trimmed.split(separator: ",").contains { candidate in
            var tag = Substring(candidate.trimmingCharacters(in: .whitespaces))
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            return tag == Substring(description)
        }
    }
}
