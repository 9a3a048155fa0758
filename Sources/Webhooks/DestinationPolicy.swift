import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where webhook deliveries may go (DESIGN.md §10): public addresses only, unless a setting
/// allows loopback, private or link-local ones explicitly (tests allow loopback). The rule
/// is applied to every address the name resolves to, not to the name, and the delivery then
/// connects to the address that was checked (``Destination/curlResolve``), so a name that
/// resolves differently a moment later (DNS rebinding) cannot slip past it.
public struct DestinationPolicy: Sendable, Equatable {
    /// The categories allowed beside `public` (never `unroutable`).
    public var allowed: Set<AddressCategory>

    public init(allowed: Set<AddressCategory> = []) {
        self.allowed = allowed.subtracting([.unroutable])
    }

    /// From the setting's text: a comma-separated list of `loopback`, `private`, `link-local`
    /// (empty: none). Nil for anything else.
    public init?(setting: String) {
        var allowed: Set<AddressCategory> = []
        for item in setting.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let category = AddressCategory(rawValue: item), category != .public, category != .unroutable else { return nil }
            allowed.insert(category)
        }
        self.init(allowed: allowed)
    }

    /// A checked destination: connect to `address` for `host`.
    public struct Destination: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var address: String

        /// libcurl's `CURLOPT_RESOLVE` entry pinning the name to the checked address.
        public var curlResolve: String {
            "\(host):\(port):\(address.contains(":") ? "[\(address)]" : address)"
        }
    }

    /// Why a URL is refused, in words a shop can act on (the API returns it).
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        /// True when the name did not resolve (may be temporary), false when the URL or its
        /// address is refused for good.
        public var isRetriable: Bool
    }

    /// Parses `url` (http or https, a host, no credentials) and checks every address it
    /// resolves to. Blocking (name resolution): call it off the cooperative pool
    /// (``checkOffPool(_:)``).
    public func check(_ url: String) throws(Refusal) -> Destination {
        guard url.utf8.count <= 2048, let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = components.host, !host.isEmpty
        else { throw Refusal(description: "the URL must be an absolute http:// or https:// URL with a host", isRetriable: false) }
        guard components.user == nil, components.password == nil else {
            throw Refusal(description: "the URL must not carry credentials", isRetriable: false)
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let addresses = try resolve(host)
        for address in addresses {
            let category = AddressCategory(address: address) ?? .unroutable
            guard category == .public || allowed.contains(category) else {
                throw Refusal(description: "the URL's host resolves to a \(category.rawValue) address (\(address)), where deliveries never go", isRetriable: false)
            }
        }
        return Destination(host: host, port: port, address: addresses[0])
    }

    /// ``check(_:)`` on a thread of its own: name resolution may block for seconds.
    public func checkOffPool(_ url: String) async throws(Refusal) -> Destination {
        let result: Result<Destination, Refusal> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { () throws(Refusal) in try self.check(url) }) }.start()
        }
        return try result.get()
    }

    private func resolve(_ host: String) throws(Refusal) -> [String] {
        if AddressCategory(address: host) != nil { return [host] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
            throw Refusal(description: "the URL's host \(host) does not resolve", isRetriable: true)
        }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if let sockaddr = current.pointee.ai_addr,
               getnameinfo(sockaddr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw Refusal(description: "the URL's host \(host) does not resolve", isRetriable: true) }
        return addresses
    }
}
