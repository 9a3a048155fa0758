import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback listener: one thread accepts, and each connection gets its own thread running
/// `serve` and is closed after it. The listener closes with this object.
public final class LoopbackServer: Sendable {
    public let port: Int
    private let listener: Int32

    public init(serve: @escaping @Sendable (_ connection: Int32) -> Void) throws {
        let socket = try LoopbackSocket.listen()
        listener = socket.descriptor
        port = socket.port
        Thread.detachNewThread {
            // This thread alone closes the listener, once accept fails after the shutdown in
            // deinit: closed there, its number could be reused by another test's socket while
            // this loop is between two accepts, and this loop would take that socket's
            // connections.
            defer { close(socket.descriptor) }
            while true {
                let connection = accept(socket.descriptor, nil, nil)
                if connection < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return  // the listener was shut down
                }
                Thread.detachNewThread {
                    defer { close(connection) }
                    serve(connection)
                }
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
    }
}

/// A minimal loopback HTTP/1.1 server's socket work, for fakes of parties that cannot exist
/// here (the soak's image API, the providers' test servers): listen on 127.0.0.1, read one
/// request, write one response (`Connection: close`).
public enum LoopbackSocket {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ call: String) { description = "\(call) failed: errno \(errno)" }
    }

    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    public static func listen() throws -> (descriptor: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0, named == 0 else {
            close(fd)
            throw Failure("bind/listen")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    public static func readRequest(_ connection: Int32) -> Request? {
        var buffer: [UInt8] = []
        let terminator = Array("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        while headerEnd == nil {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            headerEnd = buffer.firstRange(of: terminator)?.upperBound
            if buffer.count > 1 << 20 { return nil }
        }
        guard let headerEnd else { return nil }
        let lines = String(decoding: buffer[..<(headerEnd - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Array(buffer[headerEnd...]))
        let length = request.header("Content-Length").flatMap { Int($0) } ?? 0
        guard length <= 64 << 20 else { return nil }
        while request.body.count < length {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            request.body.append(contentsOf: chunk[0..<count])
        }
        return request
    }

    public static func respond(_ status: Int, headers: [(String, String)], body: [UInt8], on connection: Int32) {
        var head = "HTTP/1.1 \(status) Status\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        write(Array((head + "\r\n").utf8) + body, on: connection)
    }

    public static func write(_ bytes: [UInt8], on connection: Int32) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// Holds the connection open without answering until the client hangs up.
    public static func waitForPeerToClose(_ connection: Int32, atMostSeconds seconds: Int) {
        var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        for _ in 0..<(seconds * 10) {
            if poll(&descriptor, 1, 100) > 0, recv(connection, &byte, 1, 0) <= 0 { return }
        }
    }
}
