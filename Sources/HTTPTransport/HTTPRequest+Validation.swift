extension HTTPRequest {
    /// Rejects what libcurl would send verbatim and a server might misread:
    /// CR/LF/NUL in the URL or headers (request smuggling), non-token header
    /// names and schemes other than http(s).
    func validate() throws(HTTPError) {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw HTTPError(code: .invalidRequest, detail: "URL scheme must be http or https")
        }
        guard !url.utf8.contains(where: Self.isControlOrSpace) else {
            throw HTTPError(code: .invalidRequest, detail: "URL contains spaces or control characters")
        }
        guard method.rawValue.utf8.allSatisfy(Self.isTokenByte), !method.rawValue.isEmpty else {
            throw HTTPError(code: .invalidRequest, detail: "method is not an HTTP token")
        }
        for field in headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(Self.isTokenByte) else {
                throw HTTPError(code: .invalidRequest, detail: "header name is not an HTTP token")
            }
            guard !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw HTTPError(code: .invalidRequest, detail: "header \(field.name) contains CR, LF or NUL")
            }
        }
    }

    private static func isControlOrSpace(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x7F
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
