import FleetTesting
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1:<ephemeral> for the client tests
/// (FleetTesting's ``LoopbackServer``: a thread per connection, closed after one
/// response, `Connection: close`).
final class TestHTTPServer: Sendable {
    typealias Request = LoopbackSocket.Request

    private let server: LoopbackServer
    /// How many `/slow` requests this server has read completely; lets a test
    /// act once a transfer is really in flight instead of sleeping.
    let slowRequestsArrived = Counter()

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func increment() { value.add(1, ordering: .sequentiallyConsistent) }
        var current: Int { value.load(ordering: .sequentiallyConsistent) }
    }

    var port: Int { server.port }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        let slowRequestsArrived = self.slowRequestsArrived
        server = try LoopbackServer { connection in
            guard let request = LoopbackSocket.readRequest(connection) else { return }
            if request.path == "/slow" { slowRequestsArrived.increment() }
            Self.route(request, on: connection)
        }
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
