import Foundation
import Postgres
import ProductFlow
import Testing

/// Issue 13: a product whose mockups failed (its flat-lay job died) is recovered by a
/// selection of one of its designs — the credits the failure refunded are reserved again,
/// or 402 when the balance is short.
@Suite("POST /v1/products/{id}/selection on a failed product")
struct FailedSelectionTests {
    @Test("a failed product with designs is re-selected: credits reserved again, new mockups, 402 when short")
    func reselectFailed() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 1)
            let (product, short, recovered, sameAgain) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let designs = try await fixture.seedDesigns(product)
                let first = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                  json: APIClient.selection(designs[0][0]))
                #expect(first.status == 202)
                // What the finalizer does when the flat-lay job dies: fail, refund, cancel the rest.
                try await fixture.database.withTransaction { connection in
                    try ProductTransition.move(product, to: .failed, failureReason: "flat-lay mockup failed: bad template", on: connection)
                    try Credits.refundUnsettled(product: product, on: connection)
                    try connection.execute("""
                        UPDATE jobs SET state = 'cancelled', finished_at = now() WHERE product_id = \(product) AND state = 'queued'
                        """)
                }
                // Spend the refunded credit elsewhere: the recovery cannot reserve it.
                let other = try await client.createProduct(owner)
                let short = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                  json: APIClient.selection(designs[0][0]))
                #expect(try await client.send(.post, APIClient.path(other, "/cancel"), as: owner).status == 200)
                // The design that was already the primary: on a failed product it makes new mockups.
                let recovered = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                      json: APIClient.selection(designs[0][0]))
                let sameAgain = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                      json: APIClient.selection(designs[0][0]))
                return (product, short, recovered, sameAgain)
            }
            #expect(short.status == 402)
            #expect(short.code == "insufficient_credits")
            #expect(recovered.status == 202)
            #expect(recovered.json["status"] as? String == "generating_mockups")
            #expect(recovered.json["selection_version"] as? Int == 2)
            // Now live: selecting the primary again changes nothing (no third reservation).
            #expect(sameAgain.status == 202)
            #expect(sameAgain.json["selection_version"] as? Int == 2)
            #expect(try await fixture.value(String?.self, "SELECT failure_reason FROM products WHERE id = \(product)") == nil)
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(product) AND selection_version = 2 AND state = 'queued'
                  AND kind IN ('mockup.flat_lay', 'mockup.mr_imagine')
                """) == 2)
            #expect(try await fixture.count("""
                SELECT count(*) FROM credit_ledger WHERE product_id = \(product) AND kind = 'reserve'
                """) == 2)
            #expect(try await fixture.count("""
                SELECT count(*) FROM credit_ledger r WHERE product_id = \(product) AND kind = 'reserve'
                  AND NOT EXISTS (SELECT 1 FROM credit_ledger s WHERE s.reservation_id = r.reservation_id AND s.kind <> 'reserve')
                """) == 1)
            #expect(try await fixture.balance(owner) == 0)
        }
    }

    @Test("a failed product without designs is still refused")
    func failedWithoutDesigns() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let reply = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.database.withTransaction { connection in
                    try ProductTransition.move(product, to: .failed, failureReason: "design job dead", on: connection)
                }
                return try await client.send(.post, APIClient.path(product, "/selection"), as: owner, json: APIClient.selection(UUID()))
            }
            #expect(reply.status == 400)
            #expect(reply.field == "asset_id")
        }
    }
}
