import FleetTesting
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 request to 127.0.0.1, read to EOF (the observability server closes
/// every connection). For probing daemons' `/readyz` and `/metrics`.
enum LoopbackHTTP {
    struct Response: Sendable {
        var status: Int
        var head: String
        var body: String
    }

    static func request(_ method: String, _ path: String, port: Int) async throws -> Response {
        try await offPool { try blocking(method, path, port: port) }
    }

    private static func blocking(_ method: String, _ path: String, port: Int) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestEnvironmentError("socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { throw TestEnvironmentError("connect 127.0.0.1:\(port): errno \(errno)") }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            throw TestEnvironmentError("send to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw TestEnvironmentError("recv from 127.0.0.1:\(port): errno \(errno)") }
            if count == 0 { break }
            received.append(contentsOf: chunk[..<count])
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw TestEnvironmentError("no response head: \(text.debugDescription)") }
        let head = String(text[..<split.lowerBound])
        guard let status = Int(head.split(separator: " ").dropFirst().first ?? "") else { throw TestEnvironmentError("bad status line: \(head)") }
        return Response(status: status, head: head, body: String(text[split.upperBound...]))
    }

    /// Whether something listens on 127.0.0.1:`port` (a bind attempt, closed at once).
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
