import Foundation
import Hummingbird
import JobRuntime
import Postgres
import ProductFlow
import ServiceLifecycle

/// `GET /v1/products/{id}/events`: server-sent events of the product's status.
///
/// It subscribes to the ``ProductEventHub`` *before* reading the status, so no change
/// can slip between the read and the subscription; then sends the current status at
/// once (`event: status`), and again whenever a NOTIFY (or a reconnect of the hub)
/// shows a change. Between changes a `: keep-alive` comment every `keepAlive` also
/// finds clients that left. The stream ends when the product is `ready_for_sale`,
/// `failed` or `cancelled`, when the client leaves, or on graceful shutdown. A client
/// that reconnects needs no `Last-Event-ID`: its first event is the current status.
struct ProductEventStream: Sendable {
    static let finalStatuses: Set<ProductStatus> = [.readyForSale, .failed, .cancelled]

    struct Snapshot: Encodable, Sendable, Equatable {
        var id: UUID
        var status: ProductStatus
        var iteration: Int
        var selectionVersion: Int
        var updatedAt: Date

        private enum CodingKeys: String, CodingKey {
            case id, status, iteration, selectionVersion = "selection_version", updatedAt = "updated_at"
        }
    }

    var caller: Caller
    var productID: UUID
    var database: PostgresClient
    var hub: ProductEventHub
    var keepAlive: Duration

    /// The response; 404 before any byte is streamed when the product is not the caller's.
    func response() async throws -> Response {
        guard try await snapshot() != nil else { throw APIProblem.productNotFound }
        var headers = HTTPFields()
        headers[.contentType] = MediaTypes.eventStream
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await stream(to: &writer)
        })
    }

    private func stream(to writer: inout any ResponseBodyWriter) async throws {
        let (wakeup, cancel) = hub.subscribe(productID)
        defer { cancel() }
        try await withGracefulShutdownHandler {
            var last: Snapshot?
            var eventID = 0
            while !Task.isCancelled {
                guard let current = try await snapshot() else { break }
                if current != last {
                    eventID += 1
                    let data = String(decoding: try JSONResponse.encoder.encode(current), as: UTF8.self)
                    try await writer.write(ByteBuffer(string: "id: \(eventID)\nevent: status\ndata: \(data)\n\n"))
                    last = current
                } else {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
                if Self.finalStatuses.contains(current.status) || wakeup.isClosed { break }
                await wakeup.wait(timeout: keepAlive)
            }
        } onGracefulShutdown: {
            wakeup.close()
        }
        try await writer.finish(nil)
    }

    private func snapshot() async throws -> Snapshot? {
        let id = productID, owner = caller.ownerID
        return try await database.withConnection { connection in
            guard let row = try connection.query("""
                SELECT status::text, iteration, selection_version, updated_at
                FROM products WHERE id = \(id) AND owner_id = \(owner)
                """).first else { return nil }
            return Snapshot(
                id: id, status: try ProductStatusColumn.decode(row), iteration: try row.decode(Int.self, column: "iteration"),
                selectionVersion: try row.decode(Int.self, column: "selection_version"), updatedAt: try row.decode(Date.self, column: "updated_at"))
        }
    }
}
