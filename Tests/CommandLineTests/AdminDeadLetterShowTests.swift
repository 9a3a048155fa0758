import FleetTesting
import Foundation
import Postgres
import Testing

/// Issue 13: `dlq show` of a 5 MB dead letter prints its first bytes and says how to get
/// the rest; `--full-body` prints it all; `--json` says it was cut.
@Suite struct AdminDeadLetterShowTests {
    @Test func aLargeBodyIsTruncatedUnlessFullBodyIsAsked() async throws {
        let fixture = try await AdminFixture.make("admin_dlq_show")
        let size = 5_000_000
        let id = try await fixture.sql { connection in
            try connection.query("""
                INSERT INTO dead_letters (dedupe_key, queue, original_queue, reason, body)
                VALUES (\(uniqueName("big")), \(fixture.queue.deadLetterQueue), \(fixture.queue.name), 'malformed: too large',
                        convert_to('{"blob":"' || repeat('x', \(size - 11)) || '"}', 'UTF8'))
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }

        let shown = try await fixture.admin(["dlq", "show", "\(id)"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.utf8.count < 20_000, "printed \(shown.stdout.utf8.count) bytes")
        #expect(shown.stdout.contains("body (\(size) bytes; the first 4096 shown, --full-body for all)"), "\(shown.stdout.prefix(2000))")
        #expect(shown.stdout.contains("\(size - 4096) more bytes not shown"))

        let limited = try await fixture.admin(["dlq", "show", "\(id)", "--body-limit", "100"])
        #expect(limited.stdout.contains("the first 100 shown"))
        #expect(limited.stdout.utf8.count < 5_000)

        let full = try await fixture.admin(["dlq", "show", "\(id)", "--full-body"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.utf8.count > size)
        #expect(full.stdout.contains("body (\(size) bytes):"))
        #expect(!full.stdout.contains("more bytes not shown"))

        let json = try #require(try await fixture.admin(["dlq", "show", "\(id)", "--json"]).json() as? [String: Any])
        #expect(json["body_truncated"] as? Bool == true)
        #expect(json["body_bytes"] as? Int == size)
        #expect((json["body"] as? String)?.utf8.count == 4096)

        // A small body is shown whole, as before.
        let small = try await fixture.sql { connection in
            try connection.query("""
                INSERT INTO dead_letters (dedupe_key, queue, reason, body)
                VALUES (\(uniqueName("small")), \(fixture.queue.deadLetterQueue), 'malformed', convert_to('{"a":1}', 'UTF8'))
                RETURNING id
                """)[0].decode(Int64.self, at: 0)
        }
        let whole = try #require(try await fixture.admin(["dlq", "show", "\(small)", "--json"]).json() as? [String: Any])
        #expect(whole["body_truncated"] as? Bool == false)
        #expect(whole["body"] as? String == #"{"a":1}"#)
        #expect(try await fixture.admin(["dlq", "show", "\(id)", "--body-limit", "-1"]).status == 64)
        await fixture.tearDown()
    }
}
