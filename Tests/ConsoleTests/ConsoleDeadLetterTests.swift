import FleetTesting
import Foundation
import Testing

/// The dead-letter list, bulk replay (dry run → confirm → background run → per-item results)
/// and purge, each audited in the transaction of its effect.
@Suite struct ConsoleDeadLetterTests {
    @Test func filtersSelectAllMatchingAcrossPagesAndReplayWithAuditedProgress() async throws {
        try await ConsoleFixture.with { fixture in
            // 60 match the filter (more than one page of 50); 5 others do not.
            let matching = try await fixture.deadJobs(60, errorClass: "permanent", stage: "provider_call", reason: "content policy refused the prompt")
            try await fixture.deadJobs(5, errorClass: "transient", stage: "storage_write", reason: "storage timed out")
            let op = try await fixture.makeOperator()
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let list = try await browser.get("/dead-letters?error_class=permanent&stage=provider_call")
                #expect(list.status == 200)
                #expect(list.element("matching") == "60")
                #expect(list.text.contains("id=\"next-page\""))
                let searched = try await browser.get("/dead-letters?q=timed+out")
                #expect(searched.element("matching") == "5")

                let token = list.hidden("csrf_token") ?? ""
                let preview = try await browser.post("/dead-letters/replay", form: [
                    ("csrf_token", token), ("error_class", "permanent"), ("stage", "provider_call"), ("scope", "matching"),
                ])
                #expect(preview.status == 303)
                let planPath = try #require(preview.location)
                let plan = try await browser.waitFor(planPath) { $0.text.contains("id=\"dry-run\"") }
                #expect(plan.element("will-replay") == "60")
                #expect(plan.element("will-skip") == "0")
                #expect(plan.element("will-refuse") == "0")

                let confirm = try await browser.post(planPath, form: [("csrf_token", token), ("rate", "1000")])
                #expect(confirm.status == 303)
                let actionPath = try #require(confirm.location)
                #expect(actionPath.hasPrefix("/actions/"))
                let done = try await browser.waitFor(actionPath) { $0.element("state") == "done" }
                #expect(done.element("succeeded") == "60")
                #expect(done.element("total") == "60")
                #expect(done.text.components(separatedBy: "<tr class=\"replayed\">").count == 61)

                // A second confirm of the same plan runs nothing again.
                let again = try await browser.post(planPath, form: [("csrf_token", token), ("rate", "1000")])
                #expect(again.location == actionPath)

                let audit = try await browser.get("/audit")
                #expect(audit.text.contains("dlq.replay"))
                #expect(audit.text.contains(op.name))
            }
            let ids = matching
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued' AND id = ANY(\(ids))") == 60)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'dead'") == 5)
            #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE job_id = ANY(\(ids))") == 60)
            let audit = try await fixture.sql { connection in
                try connection.query("""
                    SELECT actor, surface, action, state, total, succeeded, dry_run->>'replay' AS shown, selection->>'error_class' AS class,
                           (SELECT count(*) FROM operator_audit_items i WHERE i.audit_id = a.id)::int AS items
                    FROM operator_audit a
                    """).map { row in
                    [try row.decode(String.self, column: "actor"), try row.decode(String.self, column: "surface"),
                     try row.decode(String.self, column: "action"), try row.decode(String.self, column: "state"),
                     String(try row.decode(Int.self, column: "total")), String(try row.decode(Int.self, column: "succeeded")),
                     try row.decode(String.self, column: "shown"), try row.decode(String.self, column: "class"),
                     String(try row.decode(Int.self, column: "items"))]
                }
            }
            #expect(audit == [[op.name, "console", "dlq.replay", "done", "60", "60", "60", "permanent", "60"]])
        }
    }

    @Test func aPurgeDeletesTheRecordsAndItsAuditRowInOneTransaction() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.deadJobs(4, errorClass: "permanent", stage: "decode_message", reason: "malformed message")
            try await fixture.deadJobs(2, errorClass: "transient", stage: "provider_call", reason: "provider timed out")
            let op = try await fixture.makeOperator()
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let token = try await browser.csrf()
                let preview = try await browser.post("/dead-letters/purge", form: [
                    ("csrf_token", token), ("stage", "decode_message"), ("scope", "matching"),
                ])
                #expect(preview.status == 200)
                #expect(preview.element("purge-count") == "4")
                let confirm = try await browser.post("/dead-letters/purge/confirm", form: [
                    ("csrf_token", token), ("stage", "decode_message"), ("scope", "matching"), ("shown", "4"),
                ])
                #expect(confirm.status == 303)
                let action = try await browser.get(try #require(confirm.location))
                #expect(action.element("state") == "done")
                #expect(action.element("succeeded") == "4")
            }
            #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 2)
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 6)
            #expect(try await fixture.count("""
                SELECT count(*) FROM operator_audit WHERE action = 'dlq.purge' AND succeeded = 4 AND selection->>'stage' = 'decode_message'
                """) == 1)
        }
    }

    @Test func aDeadLetterShowsItsReasonBodyHeadersAndAttempts() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.deadJobs(1, errorClass: "permanent", stage: "provider_call", reason: "refused <script>alert(1)</script>")
            let op = try await fixture.makeOperator()
            let id = try await fixture.count("SELECT id::int FROM dead_letters")
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let page = try await browser.get("/dead-letters/\(id)")
                #expect(page.status == 200)
                #expect(page.text.contains("refused &lt;script&gt;"), "the reason is escaped")
                #expect(!page.text.contains("<script>alert"))
                #expect(page.text.contains("id=\"attempts\""))
                #expect(page.element("body") == "{}")
                #expect(try await browser.get("/dead-letters/999999").status == 404)
                let overview = try await browser.get("/")
                #expect(overview.text.contains("<svg"))
                #expect(overview.text.contains("provider_call"))
            }
        }
    }
}
