/// The part of an HTTP/1.x request head the observability endpoints need: the method and
/// the path (query dropped). Headers are read (to find the end of the head) but not kept:
/// no endpoint depends on them.
struct HTTPRequestHead: Sendable, Equatable {
    var method: String
    var path: String

    /// What a buffer of received bytes holds so far.
    enum ParseResult: Sendable, Equatable {
        /// The blank line ending the head has not arrived yet.
        case incomplete
        case complete(HTTPRequestHead)
        /// Not an HTTP/1.x request line.
        case invalid
    }

    private static let crlfcrlf: [UInt8] = Array("\r\n\r\n".utf8)
    private static let lflf: [UInt8] = Array("\n\n".utf8)

    /// Parses `bytes` received so far. Pure, so it is tested without sockets.
    static func parse(_ bytes: some Collection<UInt8>) -> ParseResult {
        let bytes = Array(bytes)
        // Bare LF line endings are tolerated, as most servers do, for hand-typed requests.
        guard let end = bytes.firstRange(of: crlfcrlf) ?? bytes.firstRange(of: lflf) else { return .incomplete }
        let lineEnd = bytes[..<end.lowerBound].firstIndex(of: UInt8(ascii: "\n")) ?? end.lowerBound
        var line = bytes[..<lineEnd]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }

        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3,
            let method = String(validating: parts[0], as: UTF8.self), isToken(method),
            let target = String(validating: parts[1], as: UTF8.self), target.hasPrefix("/"),
            String(decoding: parts[2], as: UTF8.self).hasPrefix("HTTP/1.")
        else { return .invalid }
        let path = target.prefix { $0 != "?" && $0 != "#" }
        return .complete(HTTPRequestHead(method: method, path: String(path)))
    }

    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"()<>@,;:\\\"/[]?={}".utf8.contains($0) }
    }
}
