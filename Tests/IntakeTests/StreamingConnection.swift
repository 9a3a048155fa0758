import FleetTesting
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking HTTP/1.1 connection to a live test server that reads a streamed response
/// incrementally (server-sent events), with deadlines instead of sleeps. Use it from
/// `offPool`: every call blocks.
final class StreamingConnection: @unchecked Sendable {
    private let fd: Int32
    private(set) var received = ""
    private(set) var closed = false

    init(port: Int, request: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw TestEnvironmentError("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            close(fd)
            throw TestEnvironmentError("cannot send the request")
        }
    }

    deinit { close(fd) }

    /// Reads until `marker` has arrived (anywhere in what was received) or the peer closes.
    /// - Throws: after `timeout` without it.
    func read(until marker: String, timeout: Duration = .seconds(30)) throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !received.contains(marker), !closed {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else {
                throw TestEnvironmentError("no '\(marker)' within \(timeout); received: \(received.suffix(600))")
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, Int32(min(remaining.components.seconds * 1000 + 1, 1000)))
            guard descriptor.revents != 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { closed = true } else { received += String(decoding: chunk[..<count], as: UTF8.self) }
        }
    }
}
