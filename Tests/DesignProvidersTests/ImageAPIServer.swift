import FleetTesting
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1:<ephemeral> that plays an image API for one
/// test: `reply` decides each answer, and every request is recorded for assertions.
/// One thread accepts; each connection gets its own thread and one response
/// (`Connection: close`), the approach of HTTPTransportTests' `TestHTTPServer`.
final class ImageAPIServer: Sendable {
    typealias Request = LoopbackSocket.Request

    struct Header: Sendable {
        var name: String
        var value: String
    }

    enum Reply: Sendable {
        case respond(status: Int, headers: [Header] = [], body: [UInt8])
        /// Answer nothing until the client gives up (at most 30 s), to trigger its timeout.
        case hang
        /// Close the connection without a byte of response (a reset mid-call).
        case closeWithoutReply

        static func json(_ status: Int, _ text: String, headers: [Header] = []) -> Reply {
            .respond(status: status, headers: [Header(name: "Content-Type", value: "application/json")] + headers, body: Array(text.utf8))
        }
    }

    private let server: LoopbackServer
    var port: Int { server.port }
    private let recorder = Recorder()

    /// Owns the request log, shared with the connection threads.
    private final class Recorder: Sendable {
        let requests = Mutex<[Request]>([])
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [Request] { recorder.requests.withLock { $0 } }

    init(reply: @escaping @Sendable (Request) -> Reply) throws {
        let recorder = recorder
        server = try LoopbackServer { connection in
            guard let request = LoopbackSocket.readRequest(connection) else { return }
            // Recorded before answering, so a test that awaited the reply sees it.
            recorder.requests.withLock { $0.append(request) }
            switch reply(request) {
            case .respond(let status, let headers, let body):
                LoopbackSocket.respond(status, headers: headers.map { ($0.name, $0.value) }, body: body, on: connection)
            case .hang:
                LoopbackSocket.waitForPeerToClose(connection, atMostSeconds: 30)
            case .closeWithoutReply:
                break
            }
        }
    }
}
