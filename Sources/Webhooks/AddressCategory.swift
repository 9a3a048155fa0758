#if canImport(Glibc)
import Glibc
#endif

/// What kind of network an IP address is on, for the outbound-safety rule of webhook
/// deliveries: only `public` is reachable by default.
public enum AddressCategory: String, Sendable, Equatable {
    case `public`
    /// 127.0.0.0/8, ::1.
    case loopback
    /// 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7 (unique local,
    /// where some clouds put their metadata service too).
    case privateNetwork = "private"
    /// 169.254/16 (the cloud metadata service 169.254.169.254 among them), fe80::/10.
    case linkLocal = "link-local"
    /// Unspecified, multicast, broadcast, reserved: never a destination, whatever a setting says.
    case unroutable

    /// The category of a textual IPv4 or IPv6 address; nil when `text` is not an address.
    public init?(address text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = Self.classify(v4: withUnsafeBytes(of: v4.s_addr) { Array($0) })
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self = Self.classify(v6: withUnsafeBytes(of: v6) { Array($0) })
    }

    /// `bytes`: the four octets in network order.
    static func classify(v4 bytes: [UInt8]) -> AddressCategory {
        let (a, b) = (bytes[0], bytes[1])
        switch a {
        case 127: return .loopback
        case 10: return .privateNetwork
        case 172 where (16...31).contains(b): return .privateNetwork
        case 192 where b == 168: return .privateNetwork
        case 100 where (64...127).contains(b): return .privateNetwork
        case 169 where b == 254: return .linkLocal
        case 0, 224...255: return .unroutable
        default: return .public
        }
    }

    /// `bytes`: the sixteen octets in network order.
    static func classify(v6 bytes: [UInt8]) -> AddressCategory {
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return bytes[15] == 1 ? .loopback : .unroutable }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible addresses are the IPv4 address.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && ((bytes[10] == 0xFF && bytes[11] == 0xFF) || (bytes[10] == 0 && bytes[11] == 0)) {
            return classify(v4: Array(bytes[12..<16]))
        }
        if bytes[0] == 0xFF { return .unroutable }
        if bytes[0] & 0xFE == 0xFC { return .privateNetwork }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return .linkLocal }
        return .public
    }
}
