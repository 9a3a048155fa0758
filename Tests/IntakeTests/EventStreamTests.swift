import FleetTesting
import Foundation
import JobRuntime
import ProductFlow
import Testing

@Suite("GET /v1/products/{id}/events")
struct EventStreamTests {
    @Test("the stream sends the current status, then each change NOTIFYed by ProductTransition, and ends on cancel")
    func pushedByNotify() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            // A keep-alive far beyond the test: only a NOTIFY can wake the stream.
            try await fixture.withClient(.live, keepAlive: .seconds(600)) { client in
                let product = try await client.createProduct(owner)
                let port = try #require(client.client.port)
                let request = "GET \(APIClient.path(product, "/events")) HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: \(owner.authorization)\r\nAccept: text/event-stream\r\n\r\n"
                let stream = try await offPool { try StreamingConnection(port: port, request: request) }
                try await offPool { try stream.read(until: #""status":"draft""#) }
                #expect(stream.received.hasPrefix("HTTP/1.1 200"))
                #expect(stream.received.lowercased().contains("content-type: text/event-stream"))
                #expect(stream.received.contains("event: status"))

                try await waitUntil("the intake to LISTEN on itp_product") {
                    try await fixture.count("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE application_name = \(fixture.schema) AND query ILIKE 'LISTEN%'
                        """) == 1
                }
                try await fixture.database.withTransaction { connection in
                    try ProductTransition.move(product, to: .generatingDesigns, on: connection)
                }
                try await offPool { try stream.read(until: #""status":"generating_designs""#) }
                try await fixture.database.withTransaction { connection in
                    try ProductTransition.move(product, to: .cancelled, on: connection)
                }
                // The final status is sent, then the response ends (chunked terminator).
                try await offPool { try stream.read(until: "\r\n0\r\n\r\n") }
                #expect(stream.received.contains(#""status":"cancelled""#))
                let events = stream.received.components(separatedBy: "event: status").count - 1
                #expect(events == 3)
            }
        }
    }
}
