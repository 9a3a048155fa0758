import FleetTesting
import Foundation

/// A local HTTP receiver standing in for a shop's webhook endpoint: it records every
/// request and answers each as `script` says (by the request's 0-based index).
final class WebhookReceiver: Sendable {
    enum Answer: Sendable {
        case status(Int, headers: [(String, String)] = [])
        /// Holds the connection without answering until the client gives up.
        case hang
    }

    struct Received: Sendable {
        var request: LoopbackSocket.Request
        var at: ContinuousClock.Instant
    }

    private let state = Locked<[Received]>([])
    private let server: LoopbackServer

    init(_ script: @escaping @Sendable (Int) -> Answer) throws {
        let state = self.state
        server = try LoopbackServer { connection in
            guard let request = LoopbackSocket.readRequest(connection) else { return }
            let index = state.withLock { received in
                received.append(Received(request: request, at: ContinuousClock.now))
                return received.count - 1
            }
            switch script(index) {
            case .status(let code, let headers):
                LoopbackSocket.respond(code, headers: headers, body: Array("ok".utf8), on: connection)
            case .hang:
                LoopbackSocket.waitForPeerToClose(connection, atMostSeconds: 120)
            }
        }
    }

    var url: String { "http://127.0.0.1:\(server.port)/hooks" }
    var received: [Received] { state.withLock { $0 } }
}

/// A value behind a lock, for state shared with the receiver's threads.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
