/// A message delivered to a consumer. Ack, nack or reject it through its connection.
public struct AMQPDelivery: Sendable {
    public var body: [UInt8]
    public var properties: AMQPProperties
    public var exchange: String
    public var routingKey: String
    /// The broker delivered this message before (to this or another consumer).
    public var redelivered: Bool
    /// The channel-scoped tag; meaningful only with ``generation``.
    public var deliveryTag: UInt64
    public var consumerTag: String
    /// The connection generation the message arrived on; an ack on a later generation
    /// throws `.staleDelivery` instead of acknowledging the wrong message.
    public var generation: UInt64
    /// Identifies the channel instance, which can be reopened within one generation.
    var channelEpoch: UInt64
}
