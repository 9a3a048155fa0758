/// A Swift type that a result column (text format) can be decoded into.
///
/// Throw anything from `init(postgresText:column:)`; ``PostgresRow`` wraps failures in a
/// ``PostgresError`` with code ``PostgresError/Code/decoding`` that names the column,
/// its SQL type and the requested Swift type. Never put the value into an error: it may
/// be personal data.
public protocol PostgresDecodable {
    /// Decodes a non-NULL value; `column` is the column's name, for error messages.
    init(postgresText: String, column: String) throws

    /// Called for SQL NULL. The default throws: only `Optional` accepts NULL.
    static func postgresNull(column: String) throws -> Self
}

extension PostgresDecodable {
    public static func postgresNull(column: String) throws -> Self {
        throw PostgresDecodingFailure("NULL cannot be decoded as non-optional \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText: String, column: String) throws {
        self = .some(try Wrapped(postgresText: postgresText, column: column))
    }

    public static func postgresNull(column: String) throws -> Self { .none }
}

/// `String`-backed enums decode from their raw value once they declare conformance.
extension PostgresDecodable where Self: RawRepresentable, RawValue: PostgresDecodable {
    public init(postgresText: String, column: String) throws {
        let raw = try RawValue(postgresText: postgresText, column: column)
        guard let value = Self(rawValue: raw) else {
            throw PostgresDecodingFailure("value is not a case of \(Self.self)")
        }
        self = value
    }
}

/// The reason a single value could not be decoded. Thrown by decoders; ``PostgresRow``
/// turns it into a ``PostgresError`` that names the column. The reason must not contain
/// the value itself.
public struct PostgresDecodingFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
