import Foundation
import ProductFlow
import Testing

@Suite("Regenerate and cancel")
struct LifecycleTests {
    @Test("regenerate while designs are generating is 409 invalid_state; from awaiting_selection it starts iteration 2")
    func regenerate() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let (product, busy, accepted, again, reference) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.execute("UPDATE products SET status = 'generating_designs' WHERE id = \(product)")
                let busy = try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner,
                                                 json: #"{"feedback": "more orange"}"#)
                let reference = try await fixture.seedDesigns(product)[0][0]
                let accepted = try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner,
                                                     json: #"{"feedback": "  more orange  "}"#)
                let again = try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner,
                                                  json: #"{"feedback": "and now blue"}"#)
                return (product, busy, accepted, again, reference)
            }
            #expect(busy.status == 409)
            #expect(busy.code == "invalid_state")
            #expect(accepted.status == 202)
            #expect(accepted.json["iteration"] as? Int == 2)
            #expect(accepted.json["status"] as? String == "generating_designs")
            #expect(again.status == 409)
            #expect(again.code == "invalid_state")
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(product) AND kind = 'design.generate' AND iteration = 2
                  AND payload->>'feedback' = 'more orange' AND lower(payload->>'reference_asset_id') = \(reference.uuidString.lowercased())
                  AND (payload->>'iteration')::int = 2
                """) == 1)
            #expect(try await fixture.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(product) AND kind = 'reserve'") == 2)
            #expect(try await fixture.balance(owner) == 3)
            // Earlier candidates stay stored and listed under iteration=all.
            #expect(try await fixture.count("""
                SELECT count(*) FROM product_assets WHERE product_id = \(product) AND iteration = 1 AND archived_at IS NULL
                """) == 6)
        }
    }

    @Test("regenerate without credits is 402 and changes nothing")
    func regenerateWithoutCredits() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 1)
            let (product, reply) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.seedDesigns(product)
                let reply = try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner,
                                                  json: #"{"feedback": "again"}"#)
                return (product, reply)
            }
            #expect(reply.status == 402)
            #expect(reply.code == "insufficient_credits")
            #expect(try await fixture.value(Int.self, "SELECT iteration FROM products WHERE id = \(product)") == 1)
            #expect(try await fixture.value(String.self, "SELECT status::text FROM products WHERE id = \(product)") == "awaiting_selection")
        }
    }

    @Test("cancel cancels pending jobs, refunds unsettled reservations and is idempotent")
    func cancel() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let (product, first, second) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.seedDesigns(product)
                #expect(try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner,
                                              json: #"{"feedback": "again"}"#).status == 202)
                try await fixture.execute("""
                    UPDATE jobs SET state = 'running', attempts = 1, started_at = now()
                    WHERE product_id = \(product) AND iteration = 2
                    """)
                let first = try await client.send(.post, APIClient.path(product, "/cancel"), as: owner)
                let second = try await client.send(.post, APIClient.path(product, "/cancel"), as: owner)
                return (product, first, second)
            }
            #expect(first.status == 200)
            #expect(first.json["status"] as? String == "cancelled")
            #expect(first.json["refunded_credits"] as? Int == 2)
            #expect(first.json["cancelled_jobs"] as? Int == 2)
            #expect(second.status == 200)
            #expect(second.json["refunded_credits"] as? Int == 0)
            #expect(try await fixture.balance(owner) == 5)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE product_id = \(product) AND state <> 'cancelled'") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(product) AND kind = 'refund'") == 2)
            #expect(try await fixture.value(String.self, "SELECT status::text FROM products WHERE id = \(product)") == "cancelled")
        }
    }

    @Test("a failed product cannot be cancelled")
    func cancelFailed() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let reply = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.database.withTransaction { connection in
                    try ProductTransition.move(product, to: .failed, failureReason: "design job dead", on: connection)
                }
                return try await client.send(.post, APIClient.path(product, "/cancel"), as: owner)
            }
            #expect(reply.status == 409)
            #expect(reply.code == "invalid_state")
        }
    }

    @Test("GET /v1/products/{id} shows status, timestamps and the current jobs")
    func product() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let reply = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.execute("""
                    UPDATE jobs SET state = 'retrying', attempts = 2, last_error = 'provider timed out', error_class = 'transient'
                    WHERE product_id = \(product)
                    """)
                return try await client.send(.get, APIClient.path(product), as: owner)
            }
            #expect(reply.status == 200)
            #expect(reply.json["status"] as? String == "draft")
            #expect(reply.json["iteration"] as? Int == 1)
            #expect(reply.json["selection_version"] as? Int == 0)
            #expect(reply.json["created_at"] is String)
            let jobs = reply.json[array: "jobs"]
            #expect(jobs.count == 1)
            #expect(jobs.first?["kind"] as? String == "design.generate")
            #expect(jobs.first?["state"] as? String == "retrying")
            #expect(jobs.first?["attempts"] as? Int == 2)
            // The internal text stays in the database; the API shows a public code (issue 13).
            #expect(jobs.first?[object: "last_error"]["code"] as? String == "retrying")
            #expect(!reply.text.contains("provider timed out"))
        }
    }
}
