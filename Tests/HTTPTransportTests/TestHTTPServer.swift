import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1:<ephemeral> for the client tests.
/// One thread accepts; each connection gets its own thread and is closed
/// after one response (`Connection: close`).
final class TestHTTPServer: @unchecked Sendable {
    struct Request {
        var method: String
        var path: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    let port: Int
    private let listener: Int32
    /// How many `/slow` requests this server has read completely; lets a test
    /// act once a transfer is really in flight instead of sleeping.
    let slowRequestsArrived = Counter()

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .sequentiallyConsistent) }
        var current: Int { value.load(ordering: .sequentiallyConsistent) }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        let listeningSocket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listeningSocket >= 0 else { throw POSIXFailure("socket") }
        var address = sockaddr_in.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listeningSocket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listeningSocket, 64) == 0, let port = try? localPort(of: listeningSocket) else {
            close(listeningSocket)
            throw POSIXFailure("bind/listen")
        }
        self.listener = listeningSocket
        self.port = port
        let slowRequestsArrived = self.slowRequestsArrived
        Thread.detachNewThread {
            while true {
                let connection = accept(listeningSocket, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    return // the listener was shut down
                }
                Thread.detachNewThread { Self.serve(connection, slowRequestsArrived) }
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ connection: Int32, _ slowRequestsArrived: Counter) {
        defer { close(connection) }
        guard let request = readRequest(connection) else { return }
        if request.path == "/slow" { slowRequestsArrived.increment() }
        route(request, on: connection)
    }

    private static func readRequest(_ connection: Int32) -> Request? {
        var buffer: [UInt8] = []
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while headerEnd == nil {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            headerEnd = buffer.firstRange(of: terminator)?.upperBound
        }
        guard let headerEnd else { return nil }
        let lines = String(decoding: buffer[..<(headerEnd - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Array(buffer[headerEnd...]))
        let length = request.header("Content-Length").flatMap { Int($0) } ?? 0
        while request.body.count < length {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            request.body.append(contentsOf: chunk[0..<count])
        }
        return request
    }

    /// Writes all of `bytes`; `false` once the peer has gone away.
    @discardableResult
    static func send(_ bytes: [UInt8], on connection: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    static func respond(
        _ status: Int, _ reason: String, headers: [(String, String)] = [], body: [UInt8] = [],
        contentLength: Int? = nil, on connection: Int32
    ) {
        var head = "HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let length = contentLength ?? Optional(body.count) { head += "Content-Length: \(length)\r\n" }
        head += "\r\n"
        send(Array(head.utf8) + body, on: connection)
    }
}

struct POSIXFailure: Error, CustomStringConvertible {
    let description: String
    init(_ call: String) { description = "\(call) failed: errno \(errno)" }
}

extension sockaddr_in {
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        return address
    }
}

func localPort(of socket: Int32) throws -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let result = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    guard result == 0 else { throw POSIXFailure("getsockname") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A loopback port with nothing listening: bound, read, then released.
func unusedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXFailure("socket") }
    defer { close(fd) }
    var address = sockaddr_in.loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw POSIXFailure("bind") }
    return try localPort(of: fd)
}
