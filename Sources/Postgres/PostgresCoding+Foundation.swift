public import Foundation

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { uuidString.lowercased() }

    public init(postgresText: String, column: String) throws {
        guard let value = UUID(uuidString: postgresText) else {
            throw PostgresDecodingFailure("value is not a UUID")
        }
        self = value
    }
}

/// `Data` binds and decodes as `bytea`.
extension Data: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { Bytea.encode(self) }

    public init(postgresText: String, column: String) throws {
        self = Data(try Bytea.decode(postgresText))
    }
}

/// `Date` binds as an RFC 3339 UTC timestamp with microseconds (the server's precision)
/// and decodes `timestamptz`, `timestamp` (taken as UTC) and `date` (midnight UTC).
extension Date: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { PostgresTimestamp.format(self) }

    public init(postgresText: String, column: String) throws {
        self = try PostgresTimestamp.parse(postgresText)
    }
}
