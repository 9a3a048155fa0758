import FleetTesting
import Foundation
import Postgres
import Testing

/// Cancelling a product from its page: the code of the shop API's cancel (its pending jobs
/// cancelled, its reservations refunded, the product `cancelled`), with the audit row in the
/// same transaction; refused without the CSRF token, without the confirmation, for a
/// read-only operator and for a failed product.
@Suite struct ConsoleCancelTests {
    /// A product in `generating_mockups` with one queued mockup job and one reserved credit.
    func product(_ fixture: ConsoleFixture, status: String = "generating_mockups") async throws -> (product: UUID, job: UUID) {
        try await fixture.sql { connection in
            try connection.transaction { connection in
                let owner = try connection.query("INSERT INTO owners (name) VALUES (\(uniqueName("shop"))) RETURNING id")[0].decode(UUID.self, at: 0)
                try connection.execute("INSERT INTO credit_ledger (owner_id, kind, amount) VALUES (\(owner), 'grant', 5)")
                let product = try connection.query("""
                    INSERT INTO products (owner_id, prompt, product_type, shirt_color) VALUES (\(owner), 'a heron', 'tshirt', 'white') RETURNING id
                    """)[0].decode(UUID.self, at: 0)
                try connection.execute("""
                    INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount) VALUES (\(owner), \(product), gen_random_uuid(), 'reserve', 1)
                    """)
                let reason: String? = status == "failed" ? "a mockup job died" : nil
                try connection.execute("UPDATE products SET status = \(status)::product_status, failure_reason = \(reason) WHERE id = \(product)")
                let job = try connection.query("""
                    INSERT INTO jobs (kind, queue, product_id, payload, state) VALUES ('mockup.flat_lay', 'console.flat_lay', \(product), '{}'::jsonb, 'queued')
                    RETURNING id
                    """)[0].decode(UUID.self, at: 0)
                return (product, job)
            }
        }
    }

    @Test func anOperatorCancelsAProductAndTheAuditRowIsWrittenWithIt() async throws {
        try await ConsoleFixture.with { fixture in
            let (product, job) = try await product(fixture)
            let path = "/products/\(product.uuidString.lowercased())"
            let watcher = try await fixture.makeOperator(readOnly: true)
            let op = try await fixture.makeOperator()
            try await fixture.withBrowser { browser in
                try await browser.signIn(watcher.name, watcher.password)
                let page = try await browser.get(path)
                #expect(!page.text.contains("id=\"cancel-product\""))
                let refused = try await browser.post(path + "/cancel", form: [("csrf_token", try await browser.csrf()), ("confirm", "1")])
                #expect(refused.status == 403)
            }
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let page = try await browser.get(path)
                #expect(page.text.contains("id=\"cancel-product\""))
                let token = try #require(page.hidden("csrf_token"))
                #expect(try await browser.post(path + "/cancel", form: [("confirm", "1")]).status == 403)
                #expect(try await browser.post(path + "/cancel", form: [("csrf_token", token)]).status == 400)
                #expect(try await fixture.count("SELECT count(*) FROM products WHERE id = \(product) AND status = 'cancelled'") == 0)
                let cancelled = try await browser.post(path + "/cancel", form: [("csrf_token", token), ("confirm", "1")])
                #expect(cancelled.status == 303)
                let after = try await browser.get(try #require(cancelled.location))
                #expect(after.element("status") == "cancelled")
                #expect(after.element("notice") == "Cancelled: 1 job(s) cancelled, 1 credit(s) refunded.")
                #expect(!after.text.contains("id=\"cancel-product\""))
            }
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(job) AND state = 'cancelled'") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(product) AND kind = 'refund'") == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM operator_audit WHERE action = 'product.cancel' AND actor = \(op.name) AND surface = 'console'
                  AND selection->>'product' = \(product.uuidString.lowercased()) AND succeeded = 1
                  AND result = 'cancelled; 1 job(s) cancelled, 1 credit(s) refunded'
                """) == 1)
            // The audit row and the effect share the transaction: one cancel, one row.
            #expect(try await fixture.count("SELECT count(*) FROM operator_audit WHERE action = 'product.cancel'") == 1)
        }
    }

    @Test func aFailedProductIsNotCancelledAndNothingIsAudited() async throws {
        try await ConsoleFixture.with { fixture in
            let (product, job) = try await product(fixture, status: "failed")
            let path = "/products/\(product.uuidString.lowercased())"
            let op = try await fixture.makeOperator()
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let page = try await browser.get(path)
                #expect(!page.text.contains("id=\"cancel-product\""))
                let refused = try await browser.post(path + "/cancel", form: [("csrf_token", page.hidden("csrf_token") ?? ""), ("confirm", "1")])
                #expect(refused.status == 409)
                #expect(refused.text.contains("nothing to cancel"))
            }
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(job) AND state = 'queued'") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(product) AND kind = 'refund'") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM operator_audit") == 0)
        }
    }
}
