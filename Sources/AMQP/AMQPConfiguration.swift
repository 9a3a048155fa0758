/// How to reach the broker and how the connection behaves. Read once at boot.
public struct AMQPConfiguration: Sendable, Equatable {
    public var host: String
    /// Default 5672.
    public var port: Int
    /// Default "/".
    public var virtualHost: String
    public var username: String
    public var password: String
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

    public init(host: String, port: Int = 5672, virtualHost: String = "/", username: String = "guest",
                password: String = "guest") {
        self.host = host
        self.port = port
        self.virtualHost = virtualHost
        self.username = username
        self.password = password
    }

    /// Parses `amqp://user:pass@host:port/vhost` (RabbitMQ URI spec): user, password and
    /// vhost are percent-decoded (`%2f` is "/"); no path means vhost "/"; an empty path
    /// (`amqp://host/`) means vhost "".
    public init(url: String) throws(AMQPError) {
        func invalid(_ why: String) -> AMQPError { AMQPError(.invalidURL, detail: "AMQP URL: \(why)") }
        guard let schemeEnd = url.range(of: "://") else { throw invalid("missing scheme (expected amqp://)") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "amqp" else {
            throw invalid("unsupported scheme '\(scheme)' (only amqp:// is supported)")
        }
        var rest = url[schemeEnd.upperBound...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var username = "guest"
        var password = "guest"
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = Self.percentDecode(parts[0]) else { throw invalid("bad percent-encoding in user") }
            username = user
            if parts.count == 2 {
                guard let pass = Self.percentDecode(parts[1]) else { throw invalid("bad percent-encoding in password") }
                password = pass
            }
        }
        var host = String(rest)
        var port = 5672
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unterminated IPv6 address") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after IPv6 address") }
                port = try Self.parsePort(after.dropFirst(), invalid)
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.parsePort(rest[rest.index(after: colon)...], invalid)
        }
        guard !host.isEmpty else { throw invalid("missing host") }
        var virtualHost = "/"
        if let path {
            guard !path.contains("/") else { throw invalid("vhost must be one path segment (write '/' as %2f)") }
            guard let decoded = Self.percentDecode(path) else { throw invalid("bad percent-encoding in vhost") }
            virtualHost = decoded
        }
        self.init(host: host, port: port, virtualHost: virtualHost, username: username, password: password)
    }

    private static func parsePort(_ text: Substring, _ invalid: (String) -> AMQPError) throws(AMQPError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw invalid("port '\(text)' is not a number in 1...65535")
        }
        return port
    }

    private static func percentDecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
