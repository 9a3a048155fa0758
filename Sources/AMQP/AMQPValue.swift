/// A field value in an AMQP table: queue and exchange arguments, message headers.
public enum AMQPValue: Sendable, Hashable {
    case string(String)
    /// Encoded as a signed 64-bit integer (`l`), which the broker accepts for every
    /// numeric argument (`x-delivery-limit`, `x-message-ttl`, …).
    case int(Int64)
    case bool(Bool)
    case double(Double)
    /// Seconds since the Unix epoch.
    case timestamp(UInt64)
    case bytes([UInt8])
    case table(AMQPTable)
    case array([AMQPValue])
    case void

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer payload, if this is an integer.
    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }
}

extension AMQPValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
