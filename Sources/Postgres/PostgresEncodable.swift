/// A Swift value that can be bound as a statement parameter.
///
/// Parameters travel in PostgreSQL's text format, typed by the server from context
/// (add a cast such as `\(value)::jsonb` where the context is ambiguous). Values are
/// always sent separately from the SQL text; they are never spliced into it.
public protocol PostgresEncodable: Sendable {
    /// The value in PostgreSQL text format; `nil` binds SQL NULL.
    var postgresText: String? { get }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}

/// `String`-backed enums (product status, job state…) bind as their raw value once they
/// declare `PostgresEncodable` conformance.
extension PostgresEncodable where Self: RawRepresentable, RawValue: PostgresEncodable {
    public var postgresText: String? { rawValue.postgresText }
}
