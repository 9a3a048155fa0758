import Foundation
import Hummingbird

/// Reads and decodes request bodies strictly: at most `limit` bytes (413 past that,
/// counted while streaming, whatever `Content-Length` claims), valid JSON, an object,
/// no unknown members, every member of its type. Each failure is a 4xx problem naming
/// the member; nothing about a body can cause a 500.
struct JSONBody: Sendable {
    let limit: Int

    func decode<T: StrictRequestBody>(_ type: T.Type, from request: Request) async throws -> T {
        let bytes = try await collect(request)
        guard !bytes.isEmpty else { throw APIProblem.validation("the request body is empty; expected a JSON object", field: nil) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let problem as APIProblem {
            throw problem
        } catch let error as DecodingError {
            throw Self.problem(for: error)
        }
    }

    private func collect(_ request: Request) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIProblem.payloadTooLarge(limit: limit)
        }
        var bytes: [UInt8] = []
        for try await buffer in request.body {
            guard bytes.count + buffer.readableBytes <= limit else { throw APIProblem.payloadTooLarge(limit: limit) }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }

    /// Names the member at fault from the decoding path; never echoes Swift type names.
    static func problem(for error: DecodingError) -> APIProblem {
        func field(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String? {
            let keys = (path + (last.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? nil : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let name = field(context.codingPath, key)
            return .validation("\(name ?? "a member") is required", field: name)
        case .valueNotFound(_, let context):
            let name = field(context.codingPath)
            return .validation("\(name ?? "the body") must not be null", field: name)
        case .typeMismatch(let expected, let context):
            let name = field(context.codingPath)
            guard let name else { return .validation("the body must be a JSON object", field: nil) }
            return .validation("\(name) must be \(JSONTypeName.describe(expected))", field: name)
        case .dataCorrupted(let context):
            if let name = field(context.codingPath) {
                return .validation("\(name) has an invalid value", field: name)
            }
            return .validation("the body is not valid JSON", field: nil)
        @unknown default:
            return .validation("the body could not be read", field: nil)
        }
    }
}

/// JSON names for the Swift types request members decode into.
enum JSONTypeName {
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is Double.Type: "a number"
        default: "of a different JSON type"
        }
    }
}
