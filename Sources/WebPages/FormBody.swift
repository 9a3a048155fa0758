import Accounts
import Foundation
public import Hummingbird

/// An `application/x-www-form-urlencoded` body as a page's form sends it: at most `limit`
/// bytes, one value per name (the last wins), and the CSRF check every state-changing form needs.
public struct FormBody: Sendable {
    public var values: [String: String]
    /// Every value of each name, in order (checkboxes that share a name).
    public var lists: [String: [String]]

    public init(values: [String: String]) {
        self.values = values
        self.lists = values.mapValues { [$0] }
    }

    public subscript(name: String) -> String? { values[name] }

    /// Every value sent under `name`.
    public func all(_ name: String) -> [String] { lists[name] ?? [] }

    public static func read(_ request: Request, limit: Int) async throws -> FormBody {
        guard let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("application/x-www-form-urlencoded") else {
            throw PageProblem.unsupportedForm
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw PageProblem.tooLarge
        }
        return FormBody(encoded: String(buffer: buffer))
    }

    /// Parses `a=1&b=two+words` (also a query string).
    public init(encoded: String) {
        var values: [String: String] = [:], lists: [String: [String]] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            values[name] = value
            lists[name, default: []].append(value)
        }
        self.values = values
        self.lists = lists
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The form's `csrf_token` must be `expected` (the session's); compared in constant time.
    public func requireCSRF(_ expected: String) throws {
        guard let sent = values["csrf_token"], !sent.isEmpty, SecretToken(value: expected).matches(sent) else {
            throw PageProblem.csrf
        }
    }
}
