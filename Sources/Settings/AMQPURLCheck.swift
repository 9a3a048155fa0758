/// Checks the shape of `ITP_AMQP_URL` at boot so that a typo stops the daemon with a
/// message naming the setting instead of surfacing later as endless reconnects. The AMQP
/// client parses the URL fully when it connects.
enum AMQPURLCheck {
    static func validate(_ text: String, setting: Setting) throws {
        let scheme = text.prefix { $0 != ":" }
        guard scheme == "amqp" || scheme == "amqps", text.dropFirst(scheme.count).hasPrefix("://") else {
            throw setting.error("expected amqp://user:pass@host:port/vhost, got a URL with scheme '\(scheme)'")
        }
        let rest = text.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        guard !hostPort.isEmpty else { throw setting.error("the host is missing") }
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            let port = hostPort[hostPort.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number) else {
                throw setting.error("the port must be a number from 1 to 65535, got '\(port)'")
            }
        }
    }
}
