/// One `amqp://` or `amqps://` URL (RabbitMQ URI spec), parsed: the endpoint and the
/// credentials and vhost it names. ``AMQPConfiguration/init(url:)`` reads a list of them.
struct AMQPURL: Equatable {
    var endpoint: AMQPEndpoint
    var username = "guest"
    var password = "guest"
    var virtualHost = "/"

    /// User, password and vhost are percent-decoded (`%2f` is "/"); no path means vhost
    /// "/"; an empty path (`amqp://host/`) means vhost "". A query is ignored.
    init(parsing url: Substring) throws(AMQPError) {
        func invalid(_ why: String) -> AMQPError { AMQPError(.invalidURL, detail: "AMQP URL: \(why)") }
        guard let schemeEnd = url.range(of: "://") else { throw invalid("missing scheme (expected amqp:// or amqps://)") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "amqp" || scheme == "amqps" else {
            throw invalid("unsupported scheme '\(scheme)' (expected amqp:// or amqps://)")
        }
        let usesTLS = scheme == "amqps"
        var rest = url[schemeEnd.upperBound...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
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
        var port: Int?
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
        if let path {
            guard !path.contains("/") else { throw invalid("vhost must be one path segment (write '/' as %2f)") }
            guard let decoded = Self.percentDecode(path) else { throw invalid("bad percent-encoding in vhost") }
            virtualHost = decoded
        }
        endpoint = AMQPEndpoint(host: host, port: port, usesTLS: usesTLS)
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
