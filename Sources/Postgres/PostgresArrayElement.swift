public import Foundation

/// An element type whose Swift arrays bind and decode as one-dimensional PostgreSQL
/// arrays (`text[]`, `uuid[]`, `int8[]`…), without NULL elements.
///
/// `[UInt8]` is the exception: `UInt8` maps its arrays to `bytea`, so `[UInt8]` and
/// `Data` are interchangeable for binary data.
public protocol PostgresArrayElement: Sendable {
    /// The text form of a whole array of this element type.
    static func postgresArrayText(_ elements: [Self]) -> String
    /// Decodes the text form of a whole array of this element type.
    static func postgresArray(fromText text: String, column: String) throws -> [Self]
}

extension PostgresArrayElement where Self: PostgresEncodable & PostgresDecodable {
    public static func postgresArrayText(_ elements: [Self]) -> String {
        ArrayLiteral.format(elements.map { $0.postgresText })
    }

    public static func postgresArray(fromText text: String, column: String) throws -> [Self] {
        try ArrayLiteral.parse(text).map { element in
            guard let element else { throw PostgresDecodingFailure("array holds a NULL element") }
            return try Self(postgresText: element, column: column)
        }
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public var postgresText: String? { Element.postgresArrayText(self) }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public init(postgresText: String, column: String) throws {
        self = try Element.postgresArray(fromText: postgresText, column: column)
    }
}

extension String: PostgresArrayElement {}
extension Int: PostgresArrayElement {}
extension Int16: PostgresArrayElement {}
extension Int32: PostgresArrayElement {}
extension Int64: PostgresArrayElement {}
extension Bool: PostgresArrayElement {}
extension Double: PostgresArrayElement {}
extension UUID: PostgresArrayElement {}

extension UInt8: PostgresArrayElement {
    public static func postgresArrayText(_ elements: [UInt8]) -> String { Bytea.encode(elements) }

    public static func postgresArray(fromText text: String, column: String) throws -> [UInt8] {
        try Bytea.decode(text)
    }
}
