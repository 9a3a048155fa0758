/// Builds request URLs for an ``S3Configuration``.
struct S3URL {
    let configuration: S3Configuration

    /// URL of the bucket itself (create/delete bucket).
    var bucket: String {
        configuration.pathStyle ? "\(endpointBase)/\(Self.encodePath(configuration.bucket))" : virtualHostBase
    }

    func object(_ key: String) -> String {
        "\(bucket)/\(Self.encodePath(key))"
    }

    private var endpointBase: String {
        var base = configuration.endpoint
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    private var virtualHostBase: String {
        let base = endpointBase
        guard let schemeEnd = base.firstRange(of: "://") else { return base }
        return base[..<schemeEnd.upperBound] + configuration.bucket + "." + base[schemeEnd.upperBound...]
    }

    /// Percent-encodes a key the way SigV4 canonicalises S3 paths: UTF-8,
    /// RFC 3986 unreserved characters and `/` kept, everything else `%XX`
    /// (upper-case hex). libcurl signs the path exactly as given, so sending
    /// the canonical form keeps the signature and the server's view equal.
    static func encodePath(_ key: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
