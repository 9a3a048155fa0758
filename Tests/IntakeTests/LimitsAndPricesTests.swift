import Foundation
import HTTPTypes
import Intake
import Postgres
import ProductFlow
import Testing

@Suite("Candidate limit and prices")
struct LimitsAndPricesTests {
    static func body(candidates: Int?) -> String {
        let member = candidates.map { #", "candidates": \#($0)"# } ?? ""
        return #"{"prompt": "a fox", "product_type": "tshirt", "shirt_color": "black"\#(member)}"#
    }

    @Test("candidates beyond ITP_DESIGN_CANDIDATES_MAX (default 4, as the design worker) are 400 and reserve nothing")
    func defaultLimit() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 10)
            let replies = try await fixture.withClient { client in
                var replies: [Int: APIClient.Reply] = [:]
                for count in [4, 5, 8] {
                    replies[count] = try await client.send(.post, "/v1/products", as: owner, json: Self.body(candidates: count))
                }
                return replies
            }
            #expect(replies[4]?.status == 202)
            for count in [5, 8] {
                #expect(replies[count]?.status == 400)
                #expect(replies[count]?.code == "validation_failed")
                #expect(replies[count]?.field == "candidates")
                #expect(replies[count]?.json["detail"] as? String == "candidates must be from 1 to 4")
            }
            #expect(try await fixture.count("SELECT count(*) FROM products WHERE owner_id = \(owner.id)") == 1)
            #expect(try await fixture.balance(owner) == 9)
        }
    }

    @Test("the intake enforces a configured maximum and defaults to it when it is below 4")
    func configuredLimit() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 10)
            let (refused, defaulted, document) = try await fixture.withClient(configure: { $0.maxCandidates = 2 }) { client in
                (try await client.send(.post, "/v1/products", as: owner, json: Self.body(candidates: 3)),
                 try await client.send(.post, "/v1/products", as: owner, json: Self.body(candidates: nil)),
                 try await client.send(.get, "/openapi.yaml", as: nil))
            }
            // The served document states the configured limit, not the file's default.
            #expect(document.text.contains("        candidates:\n          type: integer\n          minimum: 1\n          maximum: 2\n          default: 2\n"))
            #expect(refused.status == 400)
            #expect(refused.json["detail"] as? String == "candidates must be from 1 to 2")
            #expect(defaulted.status == 202)
            let product = try #require(defaulted.id)
            #expect(try await fixture.value(Int.self, "SELECT candidate_count FROM products WHERE id = \(product)") == 2)
            #expect(try await fixture.value(Int.self, """
                SELECT (payload->>'candidates')::int FROM jobs WHERE product_id = \(product) AND kind = 'design.generate'
                """) == 2)
        }
    }

    @Test("prices are settings: create and regenerate reserve them, state them as estimated_cost, and refunds return them")
    func prices() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 10)
            let prices = IntakeConfiguration.Prices(create: 3, regenerate: 2)
            let (created, replayed, regenerated, product) = try await fixture.withClient(configure: { $0.prices = prices }) { client in
                let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "k-1"]
                let created = try await client.send(.post, "/v1/products", as: owner, json: Self.body(candidates: 2), headers: key)
                let replayed = try await client.send(.post, "/v1/products", as: owner, json: Self.body(candidates: 2), headers: key)
                let product = try #require(created.id)
                try await fixture.seedDesigns(product)
                let regenerated = try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner,
                                                        json: #"{"feedback": "more orange"}"#)
                return (created, replayed, regenerated, product)
            }
            #expect(created.status == 202)
            #expect(created.json["estimated_cost"] as? Int == 3)
            #expect(replayed.status == 200)
            #expect(replayed.json["estimated_cost"] as? Int == 3)
            #expect(regenerated.status == 202)
            #expect(regenerated.json["estimated_cost"] as? Int == 2)
            #expect(try await fixture.balance(owner) == 5)
            #expect(try await fixture.count("""
                SELECT COALESCE(sum(amount), 0)::int FROM credit_ledger WHERE product_id = \(product) AND kind = 'reserve'
                """) == 5)
            // The finalizer's refund on failure settles what was reserved, not a constant.
            let refunded = try await fixture.database.withTransaction { try Credits.refundUnsettled(product: product, on: $0) }
            #expect(refunded == 2)
            #expect(try await fixture.balance(owner) == 10)
        }
    }

    @Test("a price above the balance is 402 and nothing is reserved")
    func priceAboveBalance() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 2)
            let reply = try await fixture.withClient(configure: { $0.prices.create = 3 }) { client in
                try await client.send(.post, "/v1/products", as: owner, json: Self.body(candidates: 1))
            }
            #expect(reply.status == 402)
            #expect(reply.code == "insufficient_credits")
            #expect(try await fixture.balance(owner) == 2)
            #expect(try await fixture.count("SELECT count(*) FROM products WHERE owner_id = \(owner.id)") == 0)
        }
    }
}
