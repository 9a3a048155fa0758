/// Checks the shape of `ITP_AMQP_URL` at boot so that a typo stops the daemon with a
/// message naming the setting instead of surfacing later as endless reconnects. The AMQP
/// client parses the URLs fully when it is made.
enum AMQPURLCheck {
    /// One URL or a comma-separated list of them (a cluster's nodes).
    static func validate(_ text: String, setting: Setting) throws {
        let urls = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
        for (index, url) in urls.enumerated() {
            let which = urls.count > 1 ? "URL \(index + 1) of the list: " : ""
            guard !url.isEmpty else { throw setting.error("\(which)empty (a comma-separated list of amqp:// or amqps:// URLs)") }
            try validateOne(url, setting: setting, which: which)
        }
    }

    /// Whether any URL of the list is `amqps://`.
    static func usesTLS(_ text: String) -> Bool {
        text.split(separator: ",").contains { $0.trimmingCharacters(in: " ").hasPrefix("amqps://") }
    }

    private static func validateOne(_ text: Substring, setting: Setting, which: String) throws {
        let scheme = text.prefix { $0 != ":" }
        guard scheme == "amqp" || scheme == "amqps", text.dropFirst(scheme.count).hasPrefix("://") else {
            throw setting.error("\(which)expected amqp://user:pass@host:port/vhost (or amqps://), got a URL with scheme '\(scheme)'")
        }
        let rest = text.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        guard !hostPort.isEmpty else { throw setting.error("\(which)the host is missing") }
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            let port = hostPort[hostPort.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number) else {
                throw setting.error("\(which)the port must be a number from 1 to 65535, got '\(port)'")
            }
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var text = self
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return text
    }
}
