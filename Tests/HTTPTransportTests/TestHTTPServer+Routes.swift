import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension TestHTTPServer {
    /// Bodies streamed by `/huge` stop here even if the client never aborts.
    static let hugeBodyCap = 256 << 20

    static func route(_ request: Request, on connection: Int32) {
        switch request.path {
        case "/json":
            respond(200, "OK", headers: [("Content-Type", "application/json")], body: Array(#"{"ok":true}"#.utf8), on: connection)
        case "/rate-limited":
            respond(429, "Too Many Requests", headers: [("Retry-After", "7")], body: Array(#"{"error":"slow down"}"#.utf8), on: connection)
        case "/slow":
            waitForPeerToClose(connection, atMost: 30)
        case "/huge":
            streamEndlessBody(on: connection)
        case "/huge-declared":
            // Announce a body larger than any client limit in the tests; send a little of it.
            respond(200, "OK", body: [UInt8](repeating: 0x41, count: 1024), contentLength: 100_000_000, on: connection)
        case "/headers":
            var headers = request.headers.map { ("X-Echo-\($0.name)", $0.value) }
            headers += [("X-Multi", "first"), ("x-multi", "second")]
            respond(204, "No Content", headers: headers, on: connection)
        case "/echo":
            let type = request.header("Content-Type") ?? "none"
            respond(200, "OK", headers: [("Content-Type", type), ("X-Method", request.method)], body: request.body, on: connection)
        case "/reset":
            return // close without a response
        default:
            respond(404, "Not Found", on: connection)
        }
    }

    /// Holds the connection open without answering until the client gives up.
    private static func waitForPeerToClose(_ connection: Int32, atMost seconds: Int) {
        var descriptor = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        for _ in 0..<(seconds * 10) {
            if poll(&descriptor, 1, 100) > 0, recv(connection, &byte, 1, 0) <= 0 { return }
        }
    }

    /// A close-delimited body (no Content-Length) that keeps coming until the
    /// client hangs up, so only an early abort ends the transfer quickly.
    private static func streamEndlessBody(on connection: Int32) {
        let head = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n\r\n"
        guard send(Array(head.utf8), on: connection) else { return }
        let chunk = [UInt8](repeating: 0x5A, count: 64 << 10)
        var sent = 0
        while sent < hugeBodyCap, send(chunk, on: connection) {
            sent += chunk.count
        }
    }
}
