import FleetTesting
import Foundation
import Postgres
import Soak
import Testing

/// The seeded history of `benchmarks/fleet/history`: the rows it promises, consistent with
/// every invariant the soak checks, and left out of exactly the checks it must be.
@Suite struct HistorySeedTests {
    @Test func aSeededHistoryHasEveryRowOfAFinishedProductAndKeepsTheInvariants() async throws {
        let schema = try await MigratedSchema.create("history")
        defer { schema.drop() }
        let storage = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("history-assets")).path
        try FileManager.default.createDirectory(atPath: storage, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: storage) }

        let written = try await offPool {
            try HistorySeed(products: 30, deadLetters: 5).write(conninfo: schema.conninfo, ownerName: "history-test")
        }
        let counts = Dictionary(uniqueKeysWithValues: written.rows.map { ($0.table, $0.count) })
        #expect(counts["products"] == 30)
        #expect(counts["jobs"] == 30 * 3 + 5)                  // design + two mockups each, and the dead jobs
        #expect(counts["job_attempts"] == 30 * 3 + 5 * 5)      // one each, five for a dead job
        #expect(counts["product_assets"] == 30 * (4 * 3 + 2))  // four candidates in three variants, two mockups
        #expect(counts["credit_ledger"] == 1 + 30 * 2)         // the grant, then reserve + consume each
        #expect(counts["outbox"] == 30 * 5)
        #expect(counts["dead_letters"] == 5)

        let published = try await offPool { () throws -> Int in
            let connection = try PostgresConnection.connect(schema.conninfo)
            defer { connection.close() }
            return try connection.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NOT NULL")[0].decode(Int.self, column: "n")
        }
        #expect(published == 30 * 5)
        // The dead letters went in with their trigger on: the console's per-group counts have them.
        let grouped = try await offPool { () throws -> Int in
            let connection = try PostgresConnection.connect(schema.conninfo)
            defer { connection.close() }
            return try connection.query("SELECT COALESCE(sum(count), 0)::int8 AS n FROM dead_letter_groups")[0].decode(Int.self, column: "n")
        }
        #expect(grouped == 5)

        var checker = InvariantChecker(conninfo: schema.conninfo, storageDirectory: storage)
        checker.historyOwner = written.ownerID
        let scopedChecker = checker
        let scoped = try await offPool { try scopedChecker.run(injected: .init()) }
        #expect(scoped.violations.isEmpty, "\(scoped)")

        // Without the owner the same checks fail on it: its rows name no blob, and its dead
        // letters were injected by no run.
        checker.historyOwner = nil
        let unscopedChecker = checker
        let unscoped = try await offPool { try unscopedChecker.run(injected: .init()) }
        #expect(unscoped.violations.contains { $0.contains("blob history/") && $0.contains("is missing") }, "\(unscoped)")
        #expect(unscoped.violations.contains { $0.contains(": dead letter ") && $0.contains("on mockup.flat_lay.dead") }, "\(unscoped)")
        #expect(unscoped.violations.contains { $0.contains("is dead: history failure") }, "\(unscoped)")
    }
}
