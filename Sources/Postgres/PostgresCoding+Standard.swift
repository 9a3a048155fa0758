// Text-format conformances for the standard library's scalar types.

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self }
    public init(postgresText: String, column: String) { self = postgresText }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self ? "t" : "f" }

    public init(postgresText: String, column: String) throws {
        // The server's output is `t`/`f`; the spelled-out forms come from casts to text.
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresDecodingFailure("value is not a boolean")
        }
    }
}

extension Int: PostgresEncodable, PostgresDecodable {}
extension Int16: PostgresEncodable, PostgresDecodable {}
extension Int32: PostgresEncodable, PostgresDecodable {}
extension Int64: PostgresEncodable, PostgresDecodable {}

extension PostgresEncodable where Self: FixedWidthInteger {
    public var postgresText: String? { String(self) }
}

extension PostgresDecodable where Self: FixedWidthInteger {
    public init(postgresText: String, column: String) throws {
        guard let value = Self(postgresText, radix: 10) else {
            throw PostgresDecodingFailure("value is not an integer that fits in \(Self.self)")
        }
        self = value
    }
}

extension Double: PostgresEncodable, PostgresDecodable {}
extension Float: PostgresEncodable, PostgresDecodable {}

extension PostgresEncodable where Self: BinaryFloatingPoint & LosslessStringConvertible {
    public var postgresText: String? {
        // Swift spells these `inf`/`nan`; use the server's own spelling.
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension PostgresDecodable where Self: BinaryFloatingPoint & LosslessStringConvertible {
    public init(postgresText: String, column: String) throws {
        guard let value = Self(postgresText) else {
            throw PostgresDecodingFailure("value is not a number")
        }
        self = value
    }
}
