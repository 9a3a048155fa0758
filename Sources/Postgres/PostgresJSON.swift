public import Foundation

/// Raw JSON text for `json`/`jsonb` parameters and results. Bind it with a cast where
/// the server cannot infer the type (`\(json)::jsonb`).
public struct PostgresJSON: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    /// The JSON document as text.
    public var text: String

    public init(text: String) { self.text = text }

    /// Encodes `value` with `encoder` (a default `JSONEncoder` with sorted keys if nil).
    public init(encoding value: some Encodable, encoder: JSONEncoder? = nil) throws {
        let encoder = encoder ?? {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return encoder
        }()
        self.text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes the JSON text as `type`.
    public func decode<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(text.utf8))
    }

    public var postgresText: String? { text }

    public init(postgresText: String, column: String) { self.text = postgresText }
}
