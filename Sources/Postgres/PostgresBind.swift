/// One bound statement parameter: a value in PostgreSQL text format, or NULL.
public struct PostgresBind: Sendable, Hashable {
    /// The text sent for the parameter; `nil` is SQL NULL.
    public var text: String?

    public init(_ value: some PostgresEncodable) { self.text = value.postgresText }

    public init(text: String?) { self.text = text }
}
