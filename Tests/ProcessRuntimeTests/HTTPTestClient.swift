import FleetTesting
import Settings
#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 client for loopback tests: sends raw bytes, reads to EOF.
enum HTTPTestClient {
    struct Response: Sendable {
        var status: Int
        var head: String
        var body: String
    }

    static func get(_ path: String, from address: HostPort) async throws -> Response {
        try await send(Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), to: address)
    }

    /// Sends `request` as is and parses the reply (off the cooperative pool).
    static func send(_ request: [UInt8], to address: HostPort) async throws -> Response {
        try await offPool { try sendBlocking(request, to: address) }
    }

    private static func sendBlocking(_ request: [UInt8], to address: HostPort) throws -> Response {
        let fd = try connect(to: address)
        defer { close(fd) }
        var offset = 0
        while offset < request.count {
            let sent = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestEnvironmentError("send failed: errno \(errno)") }
            offset += sent
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw TestEnvironmentError("recv failed: errno \(errno)") }
            if count == 0 { break }
            received.append(contentsOf: chunk[..<count])
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw TestEnvironmentError("no response head in \(text.debugDescription)") }
        let head = String(text[..<split.lowerBound])
        let statusText = head.split(separator: " ").dropFirst().first ?? ""
        guard let status = Int(statusText) else { throw TestEnvironmentError("bad status line: \(head)") }
        return Response(status: status, head: head, body: String(text[split.upperBound...]))
    }

    /// A connected socket, with a receive timeout so a server bug fails the test instead of hanging it.
    static func connect(to address: HostPort) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &list) == 0, let info = list else {
            throw TestEnvironmentError("cannot resolve \(address)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            close(fd)
            throw TestEnvironmentError("cannot connect to \(address): errno \(errno)")
        }
        return fd
    }
}
