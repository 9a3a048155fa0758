import Accounts
import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body as the builder's forms send it: at most
/// `limit` bytes, one value per name (the last wins), and the CSRF check every
/// state-changing form needs.
struct FormBody: Sendable {
    var values: [String: String]

    subscript(name: String) -> String? { values[name] }

    static func read(_ request: Request, limit: Int) async throws -> FormBody {
        guard let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("application/x-www-form-urlencoded") else {
            throw PageProblem(status: .unsupportedMediaType, heading: "Unsupported form", message: "The form was not sent as a web form.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw PageProblem.tooLarge
        }
        var values: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            values[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return FormBody(values: values)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The form's `csrf_token` must be the session's; compared in constant time.
    func requireCSRF(_ expected: String) throws {
        guard let sent = values["csrf_token"], !sent.isEmpty, SecretToken(value: expected).matches(sent) else {
            throw PageProblem.csrf
        }
    }
}
