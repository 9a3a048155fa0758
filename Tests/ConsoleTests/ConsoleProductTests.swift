import FleetTesting
import Foundation
import Testing

/// A product's page (status, every asset with its flags, jobs, ledger), a job's page with every
/// attempt, and "retry dead mockups": the same replay and audit as the dead-letter list.
@Suite struct ConsoleProductTests {
    @Test func aProductsDeadMockupIsRetriedFromItsPageAndAudited() async throws {
        try await ConsoleFixture.with { fixture in
            let (product, job) = try await fixture.sql { connection in
                try connection.transaction { connection in
                    let owner = try connection.query("INSERT INTO owners (name) VALUES (\(uniqueName("shop"))) RETURNING id")[0].decode(UUID.self, at: 0)
                    let product = try connection.query("""
                        INSERT INTO products (owner_id, prompt, product_type, shirt_color) VALUES (\(owner), 'a fox', 'tshirt', 'navy') RETURNING id
                        """)[0].decode(UUID.self, at: 0)
                    try connection.execute("UPDATE products SET status = 'generating_mockups' WHERE id = \(product)")
                    let job = try connection.query("""
                        INSERT INTO jobs (kind, queue, product_id, payload, state, attempts, last_error, error_class, failure_stage, finished_at)
                        VALUES ('mockup.flat_lay', 'console.flat_lay', \(product), '{}'::jsonb, 'dead', 1, 'template rejected', 'permanent',
                                'render', now())
                        RETURNING id
                        """)[0].decode(UUID.self, at: 0)
                    try connection.execute("""
                        INSERT INTO job_attempts (job_id, attempt, worker, finished_at, outcome, error_class, error_message, failure_stage)
                        VALUES (\(job), 1, 'flatlay-1', now(), 'failed', 'permanent', 'template rejected', 'render')
                        """)
                    return (product, job)
                }
            }
            let watcher = try await fixture.makeOperator(readOnly: true)
            let op = try await fixture.makeOperator()
            let productPath = "/products/\(product.uuidString.lowercased())"
            try await fixture.withBrowser { browser in
                try await browser.signIn(watcher.name, watcher.password)
                let page = try await browser.get(productPath)
                #expect(page.status == 200)
                #expect(page.element("status") == "generating_mockups")
                #expect(page.text.contains("mockup.flat_lay"))
                #expect(!page.text.contains("id=\"retry-mockups\""))
                let refused = try await browser.post(productPath + "/retry-mockups", form: [("csrf_token", try await browser.csrf())])
                #expect(refused.status == 403)
                let jobPage = try await browser.get("/jobs/\(job.uuidString.lowercased())")
                #expect(jobPage.element("state") == "dead")
                #expect(jobPage.text.contains("flatlay-1"))
            }
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let page = try await browser.get(productPath)
                #expect(page.text.contains("id=\"retry-mockups\""))
                let retried = try await browser.post(productPath + "/retry-mockups", form: [("csrf_token", page.hidden("csrf_token") ?? "")])
                #expect(retried.status == 303)
                let action = try await browser.get(try #require(retried.location))
                #expect(action.element("state") == "done")
                #expect(action.element("succeeded") == "1")
            }
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(job) AND state = 'queued'") == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM operator_audit WHERE action = 'product.retry_mockups' AND succeeded = 1 AND actor = \(op.name)
                """) == 1)
        }
    }
}
