/// How to reach the broker and how the connection behaves. Read once at boot.
public struct AMQPConfiguration: Sendable, Equatable {
    /// The broker's nodes. The connection tries them in a shuffled order (so a fleet spreads
    /// over a cluster), moves on to the next when one cannot be reached, and after losing a
    /// node reconnects to the others first. Never empty.
    public var endpoints: [AMQPEndpoint]
    /// Default "/".
    public var virtualHost: String
    public var username: String
    public var password: String
    /// Certificates for `amqps://` endpoints; peer and host-name verification are on by default.
    public var tls = AMQPTLSConfiguration()
    /// Negotiated heartbeat; the I/O thread services it while jobs run elsewhere. Default 10 s.
    public var heartbeat: Duration = .seconds(10)
    /// TCP connect plus AMQP handshake. Default 10 s.
    public var connectTimeout: Duration = .seconds(10)
    /// Deadline of a publish confirm (each publish has its own). Default 30 s.
    public var confirmTimeout: Duration = .seconds(30)
    /// Deadline of declarations, acks and other requests. Default 30 s.
    public var operationTimeout: Duration = .seconds(30)
    /// First reconnect delay; doubles per failed attempt up to ``reconnectMaxDelay``,
    /// each delay jittered to 50–100 %. Default 0.5 s.
    public var reconnectInitialDelay: Duration = .milliseconds(500)
    /// Default 30 s.
    public var reconnectMaxDelay: Duration = .seconds(30)
    /// If one I/O loop iteration takes longer than this (a write blocked by a broker
    /// resource alarm, a stalled broker), the socket is shut down to force a reconnect.
    /// Default 20 s.
    public var stallTimeout: Duration = .seconds(20)
    /// How long ``AMQPConnection/close()`` keeps servicing frames after the last ack, so
    /// quorum queues do not lose acks sent right before the channel closes. Default 0.5 s.
    public var shutdownGrace: Duration = .milliseconds(500)
    /// Shown in the broker's management UI. Default "itp".
    public var connectionName: String = "itp"

    public init(endpoints: [AMQPEndpoint], virtualHost: String = "/", username: String = "guest", password: String = "guest") {
        precondition(!endpoints.isEmpty, "AMQPConfiguration needs at least one endpoint")
        self.endpoints = endpoints
        self.virtualHost = virtualHost
        self.username = username
        self.password = password
    }

    /// Parses one URL or a comma-separated list of them, one per broker node, as
    /// RabbitMQ's own clients take a list of addresses:
    /// `amqps://user:pass@node1:5671/%2f,amqps://user:pass@node2:5671/%2f`. Each is
    /// `amqp://` or `amqps://` (RabbitMQ URI spec: user, password and vhost
    /// percent-encoded, so a comma inside a password is written `%2C`); every URL of a
    /// list must name the same user, password and vhost.
    public init(url: String) throws(AMQPError) {
        let parts = url.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard !parts.contains(where: \.isEmpty) else {
            throw AMQPError(.invalidURL, detail: "AMQP URL: an empty entry in the comma-separated list")
        }
        var parsed: [AMQPURL] = []
        for part in parts { parsed.append(try AMQPURL(parsing: part)) }
        let first = parsed[0]
        for other in parsed.dropFirst()
        where other.username != first.username || other.password != first.password || other.virtualHost != first.virtualHost {
            throw AMQPError(
                .invalidURL,
                detail: "AMQP URL: every URL of the list must name the same user, password and vhost (\(other.endpoint) differs from \(first.endpoint))")
        }
        self.init(
            endpoints: parsed.map(\.endpoint), virtualHost: first.virtualHost, username: first.username, password: first.password)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
