import Foundation
import Testing
import Intake
import Webhooks

@Suite("/v1/webhook-endpoints")
struct WebhookEndpointTests {
    static func body(_ url: String, _ types: [String] = ["product.ready_for_sale", "product.cancelled"]) -> String {
        let list = types.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"url": "\#(url)", "event_types": [\#(list)]}"#
    }

    static let loopback: @Sendable (inout IntakeConfiguration) -> Void = { $0.webhookDestinations = DestinationPolicy(allowed: [.loopback]) }

    @Test("create shows the secret once; list, rotate and delete; another owner sees none of it")
    func lifecycle() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(), other = try await fixture.makeOwner()
            try await fixture.withClient(configure: Self.loopback) { client in
                let created = try await client.send(.post, "/v1/webhook-endpoints", as: owner, json: Self.body("http://127.0.0.1:9/hooks"))
                #expect(created.status == 201, "\(created.text)")
                let id = try #require(created.id)
                let secret = try #require(created.json["secret"] as? String)
                #expect(secret.hasPrefix("whsec_") && secret.count == 70)
                #expect(created.json["event_types"] as? [String] == ["product.ready_for_sale", "product.cancelled"])

                let listed = try await client.send(.get, "/v1/webhook-endpoints", as: owner)
                let endpoints = listed.json[array: "endpoints"]
                #expect(endpoints.count == 1 && endpoints[0]["secret"] == nil && endpoints[0]["id"] as? String == id.uuidString.lowercased())
                #expect(try await client.send(.get, "/v1/webhook-endpoints", as: other).json[array: "endpoints"].isEmpty)

                let path = "/v1/webhook-endpoints/\(id.uuidString.lowercased())"
                #expect(try await client.send(.post, path + "/rotate-secret", as: other).status == 404)
                let rotated = try await client.send(.post, path + "/rotate-secret", as: owner)
                #expect(rotated.status == 200)
                let newSecret = try #require(rotated.json["secret"] as? String)
                #expect(newSecret != secret && rotated.json["rotated_at"] is String)
                #expect(try await fixture.value(String.self, "SELECT secret FROM webhook_endpoints WHERE id = \(id)") == newSecret)

                #expect(try await client.send(.get, path + "/deliveries", as: other).status == 404)
                #expect(try await client.send(.delete, path, as: other).status == 404)
                #expect(try await client.send(.delete, path, as: owner).status == 204)
                #expect(try await client.send(.delete, path, as: owner).status == 404)
                #expect(try await client.send(.get, "/v1/webhook-endpoints", as: owner).json[array: "endpoints"].isEmpty)
            }
        }
    }

    @Test("metadata, private and (by default) loopback destinations are refused with 400 naming url")
    func refusedDestinations() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            try await fixture.withClient { client in
                for url in ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hooks", "http://127.0.0.1:9/hooks",
                            "http://[::ffff:192.168.1.1]/", "ftp://example.com/x"] {
                    let reply = try await client.send(.post, "/v1/webhook-endpoints", as: owner, json: Self.body(url))
                    #expect(reply.status == 400 && reply.code == "validation_failed" && reply.field == "url", "\(url): \(reply.text)")
                }
                let unknown = try await client.send(.post, "/v1/webhook-endpoints", as: owner,
                                                    json: Self.body("http://127.0.0.1:9/", ["product.sold"]))
                #expect(unknown.status == 400 && unknown.field == "event_types")
                let none = try await client.send(.post, "/v1/webhook-endpoints", as: owner, json: Self.body("http://127.0.0.1:9/", []))
                #expect(none.status == 400 && none.field == "event_types")
                #expect(try await fixture.count("SELECT count(*) FROM webhook_endpoints") == 0)
            }
        }
    }

    @Test("a subscribed transition queues a delivery in its transaction; deliveries are listed and can be redelivered")
    func deliveriesAndRedelivery() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            try await fixture.withClient(configure: Self.loopback) { client in
                let created = try await client.send(.post, "/v1/webhook-endpoints", as: owner, json: Self.body("http://127.0.0.1:9/hooks"))
                let endpoint = try #require(created.id)
                let product = try await client.createProduct(owner)
                #expect(try await client.send(.post, APIClient.path(product, "/cancel"), as: owner).status == 200)

                let path = "/v1/webhook-endpoints/\(endpoint.uuidString.lowercased())/deliveries"
                let listed = try await client.send(.get, path, as: owner)
                #expect(listed.status == 200)
                let deliveries = listed.json[array: "deliveries"]
                #expect(deliveries.count == 1)
                #expect(deliveries.first?["event_type"] as? String == "product.cancelled")
                #expect(deliveries.first?["state"] as? String == "pending")
                #expect((deliveries.first?["attempts"] as? [Any])?.isEmpty == true)
                // The job and its message were written with the transition.
                #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE kind = 'webhook.deliver' AND product_id IS NULL") == 1)
                #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE routing_key = 'webhook.deliver'") == 1)

                let delivery = try #require(deliveries.first?["id"] as? String)
                let again = try await client.send(.post, "/v1/webhook-deliveries/\(delivery)/redeliver", as: owner)
                #expect(again.status == 202 && again.json["redelivery_of"] as? String == delivery)
                #expect(again.json["event_id"] as? String == deliveries.first?["event_id"] as? String)
                let after = try await client.send(.get, path, as: owner).json[array: "deliveries"]
                #expect(after.count == 2 && after.contains { $0["redelivery_of"] as? String == delivery })
                let stranger = try await fixture.makeOwner()
                #expect(try await client.send(.post, "/v1/webhook-deliveries/\(delivery)/redeliver", as: stranger).status == 404)
            }
        }
    }
}
