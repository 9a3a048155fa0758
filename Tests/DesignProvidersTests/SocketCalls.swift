import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The POSIX socket work behind ``ImageAPIServer``.
enum SocketCalls {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ call: String) { description = "\(call) failed: errno \(errno)" }
    }

    static func listenOnLoopback() throws -> (descriptor: Int32, port: Int) {
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
        guard bound == 0, listen(fd, 64) == 0, named == 0 else {
            close(fd)
            throw Failure("bind/listen")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func readRequest(_ connection: Int32) -> ImageAPIServer.Request? {
        var buffer: [UInt8] = []
        let terminator = Array("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
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
        let headers = lines.dropFirst().compactMap { line -> ImageAPIServer.Header? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return .init(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var request = ImageAPIServer.Request(
            method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Array(buffer[headerEnd...]))
        let length = request.header("Content-Length").flatMap { Int($0) } ?? 0
        while request.body.count < length {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            request.body.append(contentsOf: chunk[0..<count])
        }
        return request
    }

    static func respond(_ status: Int, headers: [ImageAPIServer.Header], body: [UInt8], on connection: Int32) {
        var head = "HTTP/1.1 \(status) Status\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// Holds the connection open without answering until the client hangs up.
    static func waitForPeerToClose(_ connection: Int32, atMostSeconds seconds: Int) {
        var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        for _ in 0..<(seconds * 10) {
            if poll(&descriptor, 1, 100) > 0, recv(connection, &byte, 1, 0) <= 0 { return }
        }
    }
}
