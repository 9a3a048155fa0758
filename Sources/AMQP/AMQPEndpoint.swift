/// One broker node to connect to: a host, a port, and whether the socket speaks TLS
/// (`amqps://`). A cluster is a list of these (``AMQPConfiguration/endpoints``).
public struct AMQPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    /// Default 5672 for `amqp://`, 5671 for `amqps://`.
    public var port: Int
    /// Connect with TLS (`amqps://`), verified with ``AMQPConfiguration/tls``.
    public var usesTLS: Bool

    public init(host: String, port: Int? = nil, usesTLS: Bool = false) {
        self.host = host
        self.port = port ?? (usesTLS ? 5671 : 5672)
        self.usesTLS = usesTLS
    }

    /// `amqp://host:port` or `amqps://host:port`, for logs (no credentials).
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(usesTLS ? "amqps" : "amqp")://\(shownHost):\(port)"
    }
}
