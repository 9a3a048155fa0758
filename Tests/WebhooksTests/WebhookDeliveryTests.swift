import AssetImages
import FleetTesting
import Foundation
import JobRuntime
import Postgres
import ProductFlow
import Testing
import Webhooks

@Suite("Webhook deliveries through the job runtime, to a local receiver")
struct WebhookDeliveryTests {
    static func json(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    @Test("product.ready_for_sale arrives signed, with the display list and signed image URLs; the event is the transition's")
    func signedReadyForSale() async throws {
        try await WebhookFixture.with { fixture in
            let receiver = try WebhookReceiver { _ in .status(200) }
            let shop = try await fixture.shop(url: receiver.url)
            let other = try await fixture.shop(url: receiver.url, types: [.failed])
            let (product, assets) = try await fixture.readyToPromote(shop)
            let (unwatched, _) = try await fixture.readyToPromote(other)

            // A transition rolled back leaves no event behind: the event is in its transaction.
            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await fixture.database.withTransaction { connection in
                    try ProductTransition.move(product, to: .readyForSale, on: connection)
                    throw Rollback()
                }
            }
            #expect(try await fixture.count("SELECT count(*) FROM webhook_events WHERE product_id = \(product)") == 0)

            try await fixture.move(product, to: .readyForSale)
            try await fixture.move(unwatched, to: .readyForSale)
            try await waitUntil("the delivery") { receiver.received.count == 1 }
            let request = receiver.received[0].request
            let signature = try #require(request.header(WebhookSignature.headerName))
            #expect(WebhookSignature.verify(header: signature, body: request.body, secret: shop.secret))
            #expect(!WebhookSignature.verify(header: signature, body: request.body + [0x20], secret: shop.secret))
            #expect(!WebhookSignature.verify(header: signature, body: request.body, secret: other.secret))
            #expect(!WebhookSignature.verify(header: signature, body: request.body, secret: shop.secret, now: Date().addingTimeInterval(3600)),
                    "a replay older than the tolerance is refused")

            let body = Self.json(request.body)
            #expect(body["type"] as? String == "product.ready_for_sale")
            #expect(request.header("ITP-Event-Type") == "product.ready_for_sale")
            let eventID = try #require(body["id"] as? String)
            #expect(request.header("ITP-Event-ID") == eventID)
            let data = body["data"] as? [String: Any] ?? [:]
            #expect(data["product_id"] as? String == product.uuidString.lowercased())
            let gallery = data["gallery"] as? [[String: Any]] ?? []
            #expect(gallery.map { $0["slot"] as? String } == ["design", "flat_lay", "mr_imagine"])
            #expect(gallery.map { $0["asset_id"] as? String } == assets.map { $0.uuidString.lowercased() })
            let images = try #require(gallery.first?["images"] as? [String: Any])
            let thumbnail = try #require((images["w512"] as? String).flatMap { URLComponents(string: "http://x" + $0) })
            let query = { (name: String) in thumbnail.queryItems?.first { $0.name == name }?.value }
            #expect(thumbnail.path == "/v1/assets/\(assets[0].uuidString.lowercased())/content")
            #expect(fixture.signer.verify(assets[0], width: .w512, expires: query("expires"), signature: query("signature")) != .invalid)

            try await waitUntil("delivered") {
                try await fixture.count("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = \(shop.endpoint) AND delivered_at IS NOT NULL") == 1
            }
            #expect(try await fixture.count("SELECT count(*) FROM webhook_events WHERE product_id = \(unwatched)") == 0,
                    "nobody subscribed to ready_for_sale of that shop: nothing written")
        }
    }

    @Test("a 500 is retried with backoff; the receiver processes exactly one event id; attempts are recorded")
    func retryThenSuccess() async throws {
        try await WebhookFixture.with { fixture in
            let receiver = try WebhookReceiver { index in index == 0 ? .status(500) : .status(200) }
            let shop = try await fixture.shop(url: receiver.url)
            let (product, _) = try await fixture.readyToPromote(shop)
            try await fixture.move(product, to: .readyForSale)
            try await waitUntil("the retry") { receiver.received.count == 2 }
            let (first, second) = (receiver.received[0], receiver.received[1])
            #expect(first.request.header("ITP-Event-ID") == second.request.header("ITP-Event-ID"))
            #expect(second.at - first.at >= .milliseconds(100), "the retry waited for its backoff")
            // What the receiver processed: the events it answered 2xx to.
            let processed = Set([second].compactMap { $0.request.header("ITP-Event-ID") })
            #expect(processed.count == 1)
            let delivery = try #require(try await fixture.delivery(of: shop.endpoint))
            try await waitUntil("delivered") {
                try await fixture.count("SELECT count(*) FROM webhook_deliveries WHERE id = \(delivery.id) AND delivered_at IS NOT NULL") == 1
            }
            let codes = try await fixture.database.withConnection { connection in
                try connection.query("SELECT status_code FROM webhook_attempts WHERE delivery_id = \(delivery.id) ORDER BY id").map {
                    try $0.decode(Int?.self, column: "status_code")
                }
            }
            #expect(codes == [500, 200])
            #expect(receiver.received.count == 2, "nothing more after the 2xx")
        }
    }

    @Test("429 with Retry-After waits at least that long and does not use an attempt")
    func retryAfter() async throws {
        try await WebhookFixture.with { fixture in
            let receiver = try WebhookReceiver { index in index == 0 ? .status(429, headers: [("Retry-After", "2")]) : .status(200) }
            let shop = try await fixture.shop(url: receiver.url)
            let (product, _) = try await fixture.readyToPromote(shop)
            try await fixture.move(product, to: .readyForSale)
            try await waitUntil("the second request") { receiver.received.count == 2 }
            #expect(receiver.received[1].at - receiver.received[0].at >= .seconds(2))
            let delivery = try #require(try await fixture.delivery(of: shop.endpoint))
            try await waitUntil("the job to succeed") {
                try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(delivery.job) AND state = 'succeeded'") == 1
            }
            #expect(try await fixture.count("SELECT rate_limited_waits FROM jobs WHERE id = \(delivery.job)") == 1)
        }
    }

    @Test("410 is permanent: dead-lettered after one request, then replayed (as itp-admin dlq replay does) and delivered")
    func goneThenReplayed() async throws {
        try await WebhookFixture.with { fixture in
            let receiver = try WebhookReceiver { index in index == 0 ? .status(410) : .status(200) }
            let shop = try await fixture.shop(url: receiver.url)
            let (product, _) = try await fixture.readyToPromote(shop)
            try await fixture.move(product, to: .failed, reason: "design generation failed: provider refused")
            let delivery = try #require(try await fixture.delivery(of: shop.endpoint))
            try await waitUntil("the dead letter") {
                try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(delivery.job)") == 1
            }
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(delivery.job) AND state = 'dead'") == 1)
            #expect(receiver.received.count == 1)
            let body = Self.json(receiver.received[0].request.body)
            let failure = (body["data"] as? [String: Any])?["failure"] as? [String: Any]
            #expect(body["type"] as? String == "product.failed" && failure?["code"] as? String == "design_generation_failed")
            #expect(!(receiver.received[0].request.body.contains(Array("provider refused".utf8))), "the internal reason stays inside")

            let deadLetter = try await fixture.count("SELECT id::int FROM dead_letters WHERE job_id = \(delivery.job)")
            let result = try await fixture.database.withConnection {
                try JobReplay(jobID: delivery.job, deadLetterID: Int64(deadLetter)).run(dryRun: false, on: $0)
            }
            #expect(result.outcome.name == "replayed")
            try await waitUntil("the replayed delivery") { receiver.received.count == 2 }
            #expect(receiver.received[1].request.header("ITP-Event-ID") == receiver.received[0].request.header("ITP-Event-ID"))
            try await waitUntil("delivered") {
                try await fixture.count("SELECT count(*) FROM webhook_deliveries WHERE id = \(delivery.id) AND delivered_at IS NOT NULL") == 1
            }
        }
    }

    @Test("one shop's hanging endpoint does not delay another shop's delivery")
    func hangingEndpointIsolated() async throws {
        try await WebhookFixture.with { fixture in
            let hanging = try WebhookReceiver { _ in .hang }
            let answering = try WebhookReceiver { _ in .status(204) }
            let slow = try await fixture.shop(url: hanging.url)
            let quick = try await fixture.shop(url: answering.url)
            let (slowProduct, _) = try await fixture.readyToPromote(slow)
            let (quickProduct, _) = try await fixture.readyToPromote(quick)

            try await fixture.move(slowProduct, to: .readyForSale)
            try await waitUntil("the hanging endpoint to hold a delivery") { hanging.received.count == 1 }
            try await fixture.move(quickProduct, to: .readyForSale)
            try await waitUntil("the other shop's delivery") {
                try await fixture.count("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = \(quick.endpoint) AND delivered_at IS NOT NULL") == 1
            }
            // Delivered while the first one still hangs (its attempt has no outcome yet).
            let slowDelivery = try #require(try await fixture.delivery(of: slow.endpoint))
            #expect(try await fixture.count("SELECT count(*) FROM webhook_attempts WHERE delivery_id = \(slowDelivery.id)") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(slowDelivery.job) AND state = 'running'") == 1)
        }
    }
}
