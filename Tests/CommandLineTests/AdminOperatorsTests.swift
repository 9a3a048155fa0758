import FleetTesting
import Foundation
import Postgres
import Testing

/// Issue 16: `itp-admin operators` makes the console's accounts (never shop users), and every
/// replay or purge from itp-admin lands in the same audit the console writes (`itp-admin audit`).
@Suite struct AdminOperatorsTests {
    @Test func operatorsAreCreatedListedDisabledAndReset() async throws {
        let fixture = try await AdminFixture.make("admin_operators")
        let created = try await fixture.admin(["operators", "create", "Night-Watch", "--read-only"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("operator: night-watch (read-only)"))
        let password = created.stdout.split(separator: "\n").first { $0.hasPrefix("password: ") }.map { String($0.dropFirst(10)) } ?? ""
        #expect(password.count == 20)
        #expect(try await fixture.admin(["operators", "create", "night-watch"]).status == 1)
        #expect(try await fixture.admin(["operators", "create", "no spaces"]).status == 64)
        let hash = try await fixture.sql { try $0.query("SELECT password_hash FROM operators WHERE name = 'night-watch'")[0].decode(String.self, at: 0) }
        #expect(hash.hasPrefix("scrypt$15$8$1$"))
        #expect(!hash.contains(password))

        let listed = try #require(try await fixture.admin(["operators", "list", "--json"]).json() as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["night-watch"])
        #expect(listed.first?["read_only"] as? Bool == true)

        #expect(try await fixture.admin(["operators", "disable", "night-watch"]).status == 0)
        #expect(try await fixture.count("SELECT count(*) FROM operators WHERE disabled_at IS NOT NULL") == 1)
        let reset = try await fixture.admin(["operators", "reset-password", "night-watch"])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(!reset.stdout.contains(password))
        #expect(try await fixture.count("SELECT count(*) FROM operators WHERE disabled_at IS NULL AND password_hash <> \(hash)") == 1)
        await fixture.tearDown()
    }

    @Test func aPurgeFromTheCommandLineIsAudited() async throws {
        let fixture = try await AdminFixture.make("admin_audit")
        let queue = fixture.queue.name
        try await fixture.sql { connection in
            for index in 0..<3 {
                try connection.execute("""
                    INSERT INTO dead_letters (dedupe_key, queue, original_queue, reason, failure_stage, body)
                    VALUES (\(uniqueName("dl\(index)")), \(queue + ".dead"), \(queue), 'malformed', 'decode_message', '\\x7b7d'::bytea)
                    """)
            }
        }
        let purge = try await fixture.admin(["dlq", "purge", "--stage", "decode_message", "--yes"])
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stdout.contains("purged 3 dead letter(s)"))
        let audit = try #require(try await fixture.admin(["audit", "--json"]).json() as? [[String: Any]])
        #expect(audit.count == 1)
        #expect(audit.first?["action"] as? String == "dlq.purge")
        #expect(audit.first?["surface"] as? String == "cli")
        #expect(audit.first?["succeeded"] as? Int == 3)
        #expect((audit.first?["selection"] as? String)?.contains("decode_message") == true)
        let table = try await fixture.admin(["audit"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("dlq.purge"))
        await fixture.tearDown()
    }
}
