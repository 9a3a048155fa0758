import FleetTesting
import Foundation
import Postgres
import Testing

/// "Insufficient credits" is decided by the reservation's guard, not by the balance's
/// check constraint, so a 402 writes no ERROR (and no statement) to the server's log.
@Suite("402 without a constraint violation")
struct InsufficientCreditsLogTests {
    /// The private server's log, as `scripts/servers` starts it (`pg_ctl -l`).
    static func serverLog() throws -> URL {
        let scratch = try #require(ProcessInfo.processInfo.environment["ITP_SCRATCH"], "scripts/test exports ITP_SCRATCH")
        return URL(fileURLWithPath: scratch).appendingPathComponent("postgres/postgres.log")
    }

    static func logMentions(_ owner: UUID) throws -> Bool {
        let text = String(decoding: try Data(contentsOf: try serverLog()), as: UTF8.self)
        return text.contains(owner.uuidString.lowercased())
    }

    @Test("402s on create and regenerate leave no trace in the Postgres log, which does record a real violation")
    func noErrorInLog() async throws {
        try await IntakeFixture.with { fixture in
            let broke = try await fixture.makeOwner(credits: 0)
            let short = try await fixture.makeOwner(credits: 1)
            let replies = try await fixture.withClient { client in
                let none = try await client.send(.post, "/v1/products", as: broke, json: CreateProductTests.body)
                let product = try await client.createProduct(short)
                try await fixture.seedDesigns(product)
                let regenerate = try await client.send(.post, APIClient.path(product, "/regenerate"), as: short,
                                                       json: #"{"feedback": "again"}"#)
                return [none, regenerate]
            }
            #expect(replies.map(\.status) == [402, 402])
            #expect(replies.map(\.code) == ["insufficient_credits", "insufficient_credits"])

            // The check can see a violation: the old way (insert beyond the balance) logs
            // `ERROR … violates check constraint` with the failing row, which names the owner.
            let witness = try await fixture.makeOwner(credits: 1)
            let product = try await fixture.withClient { client in try await client.createProduct(witness) }
            await #expect(throws: PostgresError.self) {
                try await fixture.execute("""
                    INSERT INTO credit_ledger (owner_id, product_id, reservation_id, kind, amount)
                    VALUES (\(witness.id), \(product), gen_random_uuid(), 'reserve', 1)
                    """)
            }
            try await waitUntil("the witness violation is in the server log", timeout: .seconds(30)) {
                try Self.logMentions(witness.id)
            }
            #expect(try !Self.logMentions(broke.id))
            #expect(try !Self.logMentions(short.id))
        }
    }

    @Test("concurrent creates spend the balance exactly: the guard re-checks under the row lock, never the constraint")
    func concurrentCreates() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 3)
            let statuses = try await fixture.withClient { client in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await client.send(.post, "/v1/products", as: owner, json: CreateProductTests.body).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(statuses.filter { $0 == 202 }.count == 3)
            #expect(statuses.filter { $0 == 402 }.count == 5)
            #expect(try await fixture.balance(owner) == 0)
            #expect(try await fixture.count("SELECT count(*) FROM products WHERE owner_id = \(owner.id)") == 3)
            #expect(try !Self.logMentions(owner.id))
        }
    }
}
