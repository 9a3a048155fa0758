/// Basic properties of a message (the ones this fleet uses).
public struct AMQPProperties: Sendable, Equatable {
    public var contentType: String?
    public var messageID: String?
    public var correlationID: String?
    /// A type name for the body, e.g. "design.generate".
    public var type: String?
    public var headers: AMQPTable
    /// Per-message TTL in milliseconds, as the decimal string AMQP wants (delay queues).
    public var expiration: String?
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64?
    /// 2 = persistent (the default for publishing), 1 = transient.
    public var deliveryMode: UInt8

    public init(contentType: String? = nil, messageID: String? = nil, correlationID: String? = nil,
                type: String? = nil, headers: AMQPTable = [:], expiration: String? = nil,
                timestamp: UInt64? = nil, deliveryMode: UInt8 = 2) {
        self.contentType = contentType
        self.messageID = messageID
        self.correlationID = correlationID
        self.type = type
        self.headers = headers
        self.expiration = expiration
        self.timestamp = timestamp
        self.deliveryMode = deliveryMode
    }
}

/// A message to publish.
public struct AMQPMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: AMQPProperties
    /// When true (the default) an unroutable message fails with `.unroutable` instead
    /// of being confirmed and dropped.
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties = AMQPProperties(),
                mandatory: Bool = true) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}
