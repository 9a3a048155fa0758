import FleetTesting
import Foundation
import JobRuntime
import Postgres
import Testing

/// A design job that failed its product, replayed through `itp-admin dlq replay`: refused
/// while the owner's balance cannot cover the re-reserved credit, then replayed (the product
/// revived to draft) once `credits grant` adds one; `products show`, `keys` and `credits`
/// along the way, all as the built binary.
@Suite struct AdminProductTests {
    struct World: Sendable {
        var product: UUID
        var job: UUID
        var deadLetter: Int64
    }

    /// What the fleet leaves behind when a design job dies: the job dead, its dead letter
    /// recorded, the product failed and its reserved credit refunded (as the finalizer does).
    /// The job's queue is the fixture's own, so a replay never reaches the production queue.
    func failedDesign(_ fixture: AdminFixture, owner: String) async throws -> World {
        let queue = fixture.queue.name
        return try await fixture.sql { connection in
            try connection.transaction { connection in
                let ownerID = try connection.query("SELECT id FROM owners WHERE name = \(owner)")[0].decode(UUID.self, at: 0)
                let product = try connection.query("""
                    INSERT INTO products (owner_id, prompt, product_type, shirt_color) VALUES (\(ownerID), 'a fox', 'tshirt', 'black')
                    RETURNING id
                    """)[0].decode(UUID.self, at: 0)
                try connection.execute("""
                    INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
                    VALUES (\(ownerID), \(product), gen_random_uuid(), 'reserve', 1)
                    """)
                let payload = PostgresJSON(text: """
                    {"product_id":"\(product.uuidString.lowercased())","iteration":1,"candidates":1,"prompt":"a fox",
                     "product_type":"tshirt","shirt_color":"black","seed":1}
                    """)
                let job = try connection.query("""
                    INSERT INTO jobs (kind, queue, product_id, payload, iteration, state, attempts, last_error, error_class,
                                      failure_stage, finished_at)
                    VALUES ('design.generate', \(queue), \(product), \(payload)::jsonb, 1, 'dead', 1, 'provider refused the prompt',
                            'permanent', 'provider_call', now())
                    RETURNING id
                    """)[0].decode(UUID.self, at: 0)
                try connection.execute("""
                    INSERT INTO job_attempts (job_id, attempt, worker, finished_at, outcome, error_class, error_message, failure_stage)
                    VALUES (\(job), 1, 'test', now(), 'failed', 'permanent', 'provider refused the prompt', 'provider_call')
                    """)
                let deadLetter = try connection.query("""
                    INSERT INTO dead_letters (dedupe_key, queue, original_queue, job_id, job_kind, product_id, reason, error_class,
                                              failure_stage, body)
                    VALUES (\(UUID().uuidString), \(queue + ".dead"), \(queue), \(job), 'design.generate', \(product),
                            'permanent error: provider refused the prompt', 'permanent', 'provider_call', '\\x7b7d'::bytea)
                    RETURNING id
                    """)[0].decode(Int64.self, at: 0)
                try connection.execute("""
                    UPDATE products SET status = 'failed', failure_reason = 'design generation failed' WHERE id = \(product)
                    """)
                try connection.execute("""
                    INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
                    SELECT owner_id, product_id, reservation_id, 'refund', amount FROM credit_ledger WHERE product_id = \(product)
                    """)
                return World(product: product, job: job, deadLetter: deadLetter)
            }
        }
    }

    @Test func aReplayedDesignJobReReservesItsCreditOrIsRefused() async throws {
        let fixture = try await AdminFixture.make("admin_product")
        let owner = uniqueName("owner")
        let key = try await fixture.admin(["keys", "create", "--owner", owner, "--label", "test"])
        #expect(key.status == 0, "\(key.stderr)")
        #expect(key.stdout.contains("key: itp_"))
        let grant = try await fixture.admin(["credits", "grant", "--owner", owner, "--amount", "1"])
        #expect(grant.status == 0, "\(grant.stderr)")
        let world = try await failedDesign(fixture, owner: owner)
        // The failure refunded the credit; spend the balance so the replay cannot re-reserve it.
        _ = try await fixture.sql { connection in
            try connection.execute("""
                INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
                SELECT owner_id, product_id, gen_random_uuid(), 'reserve', 1 FROM credit_ledger WHERE product_id = \(world.product) LIMIT 1
                """)
        }
        let shown = try await fixture.admin(["credits", "show", "--owner", owner])
        #expect(shown.stdout.contains("balance: 0"), "\(shown.stdout)")

        let refused = try await fixture.admin(["dlq", "replay", "\(world.deadLetter)", "--yes"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("insufficient credits"), "\(refused.stdout)")
        let stillFailed = try #require(try await fixture.admin(["products", "show", world.product.uuidString, "--json"]).json() as? [String: Any])
        #expect(stillFailed["status"] as? String == "failed")
        #expect(try await fixture.jobState(world.job) == "dead")

        let topUp = try await fixture.admin(["credits", "grant", "--owner", owner, "--amount", "1", "--note", "for the replay"])
        #expect(topUp.stdout.contains("balance 1"), "\(topUp.stdout)")
        let replayed = try await fixture.admin(["dlq", "replay", "\(world.deadLetter)", "--yes", "--publish-timeout", "10"])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(replayed.stdout.contains("product revived: failed → draft, 1 credit(s) reserved again"), "\(replayed.stdout)")
        #expect(try await fixture.jobState(world.job) == "queued")
        #expect(try await fixture.count("""
            SELECT count(*) FROM outbox WHERE job_id = \(world.job) AND routing_key = \(fixture.queue.name) AND exchange = 'itp.jobs'
            """) == 1)

        let product = try await fixture.admin(["products", "show", world.product.uuidString])
        #expect(product.status == 0, "\(product.stderr)")
        #expect(product.stdout.contains("status: draft"))
        #expect(product.stdout.contains("design.generate"))
        let detail = try #require(try await fixture.admin(["products", "show", world.product.uuidString, "--json"]).json() as? [String: Any])
        #expect(detail["status"] as? String == "draft")
        #expect(detail["failure_reason"] == nil)
        let ledger = try #require(detail["ledger"] as? [[String: Any]])
        #expect(ledger.map { $0["kind"] as? String } == ["reserve", "refund", "reserve", "reserve"])
        #expect(try await fixture.admin(["credits", "show", "--owner", owner]).stdout.contains("balance: 0"))

        // The replay is itself idempotent: again, nothing happens.
        let again = try await fixture.admin(["dlq", "replay", "\(world.deadLetter)", "--yes"])
        #expect(again.stdout.contains("already queued"), "\(again.stdout)")
        #expect(try await fixture.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(world.product)") == 4)

        let keys = try #require(try await fixture.admin(["keys", "list", "--owner", owner, "--json"]).json() as? [[String: Any]])
        let prefix = try #require(keys.first?["prefix"] as? String)
        #expect(try await fixture.admin(["keys", "revoke", prefix]).stdout.contains("revoked"))
        #expect(try await fixture.admin(["keys", "list", "--owner", owner]).stdout.split(separator: "\n").count == 1)
        let account = try #require(try await fixture.admin(["credits", "show", "--owner", owner, "--json"]).json() as? [String: Any])
        #expect(account["balance"] as? Int == 0)
        #expect(account["reserved"] as? Int == 2)
        let status = try #require(try await fixture.admin(["status", "--json"]).json() as? [String: Any])
        let latestMigration = try MigratedSchema.migrationNames().last
        #expect((status["database"] as? [String: Any])?["schema"] as? String == latestMigration)
        #expect(((status["database"] as? [String: Any])?["products_by_status"] as? [String: Int])?["draft"] == 1)
        #expect((status["broker"] as? [String: Any])?["connected"] as? Bool == true)
        #expect(try await fixture.admin(["products", "show", UUID().uuidString]).status == 1)
        await fixture.tearDown()
    }
}
