import Foundation
import HTTPTypes
import Testing

@Suite("POST /v1/products")
struct CreateProductTests {
    static let body = #"{"prompt": "a fox in a forest", "product_type": "tshirt", "shirt_color": "black"}"#

    @Test("create answers 202 with links; the product, its design job, outbox row and reservation exist")
    func create() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let reply = try await fixture.withClient { try await $0.send(.post, "/v1/products", as: owner, json: Self.body) }
            #expect(reply.status == 202)
            let id = try #require(reply.id)
            #expect(reply.json["status"] as? String == "draft")
            let links = reply.json[object: "links"]
            let base = "/v1/products/\(id.uuidString.lowercased())"
            #expect(links["self"] as? String == base)
            #expect(links["designs"] as? String == base + "/designs")
            #expect(links["gallery"] as? String == base + "/gallery")
            #expect(links["events"] as? String == base + "/events")

            #expect(try await fixture.count("SELECT count(*) FROM products WHERE id = \(id) AND owner_id = \(owner.id) AND status = 'draft' AND candidate_count = 4") == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(id) AND kind = 'design.generate' AND queue = 'design.generate'
                  AND state = 'queued' AND iteration = 1 AND payload->>'prompt' = 'a fox in a forest' AND payload->>'seed' IS NOT NULL
                """) == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM outbox o JOIN jobs j ON j.id = o.job_id
                WHERE j.product_id = \(id) AND o.exchange = 'itp.jobs' AND o.routing_key = 'design.generate'
                """) == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM credit_ledger WHERE product_id = \(id) AND kind = 'reserve' AND amount = 1 AND reservation_id IS NOT NULL
                """) == 1)
            #expect(try await fixture.balance(owner) == 4)
        }
    }

    @Test("the longest prompt the document allows, every character an escaped surrogate pair, fits the body limit")
    func theLongestValidBodyFitsTheLimit() async throws {
        // 2000 code points (the schema's maxLength), each spelled as JSON may spell it: 12 bytes.
        let prompt = String(repeating: #"\uD83E\uDD8A"#, count: 2000)
        let body = #"{"prompt": "\#(prompt)", "product_type": "tshirt", "shirt_color": "black", "placement": "full_front"}"#
        #expect(body.utf8.count > 24_000)
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let reply = try await fixture.withClient { try await $0.send(.post, "/v1/products", as: owner, json: body) }
            #expect(reply.status == 202)
            let id = try #require(reply.id)
            #expect(try await fixture.count("SELECT count(*) FROM products WHERE id = \(id) AND length(prompt) = 2000") == 1)
        }
    }

    @Test("same Idempotency-Key and same body: the same product, one charge; a different body: 409")
    func idempotency() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "order-42"]
            let (first, second, third, other) = try await fixture.withClient { client in
                let first = try await client.send(.post, "/v1/products", as: owner, json: Self.body, headers: key)
                // The same request, spelled differently: member order, whitespace, the default made explicit.
                let same = #"{"shirt_color":"black","candidates":4,"product_type":"tshirt","prompt":"  a fox in a forest "}"#
                let second = try await client.send(.post, "/v1/products", as: owner, json: same, headers: key)
                let different = #"{"prompt": "a fox in a desert", "product_type": "tshirt", "shirt_color": "black"}"#
                let third = try await client.send(.post, "/v1/products", as: owner, json: different, headers: key)
                let other = try await client.send(.post, "/v1/products", as: owner, json: Self.body,
                                                  headers: [HTTPField.Name("Idempotency-Key")!: "order-43"])
                return (first, second, third, other)
            }
            #expect(first.status == 202)
            #expect(second.status == 200)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(second.id == first.id)
            #expect(third.status == 409)
            #expect(third.code == "idempotency_conflict")
            #expect(other.status == 202)
            #expect(other.id != first.id)
            let id = try #require(first.id)
            #expect(try await fixture.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(id) AND kind = 'reserve'") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE product_id = \(id)") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM products WHERE owner_id = \(owner.id)") == 2)
            #expect(try await fixture.balance(owner) == 3)
        }
    }

    @Test("concurrent creates with one Idempotency-Key make one product")
    func concurrentIdempotency() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 20)
            let ids = try await fixture.withClient { client in
                try await withThrowingTaskGroup(of: UUID?.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await client.send(.post, "/v1/products", as: owner, json: Self.body,
                                                  headers: [HTTPField.Name("Idempotency-Key")!: "same"]).id
                        }
                    }
                    return try await group.reduce(into: [UUID?]()) { $0.append($1) }
                }
            }
            #expect(Set(ids).count == 1)
            #expect(ids.allSatisfy { $0 != nil })
            #expect(try await fixture.count("SELECT count(*) FROM credit_ledger WHERE owner_id = \(owner.id) AND kind = 'reserve'") == 1)
        }
    }

    @Test("without credits: 402 insufficient_credits and nothing is created")
    func insufficientCredits() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 0)
            let reply = try await fixture.withClient { try await $0.send(.post, "/v1/products", as: owner, json: Self.body) }
            #expect(reply.status == 402)
            #expect(reply.code == "insufficient_credits")
            #expect(try await fixture.count("SELECT count(*) FROM products") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM outbox") == 0)
        }
    }
}
