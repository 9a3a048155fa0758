import FleetTesting
import Foundation
import JobRuntime
import Logging
import Postgres
import Testing

/// Retention against a real Postgres: what is old and finished goes, in batches; what is
/// recent, unpublished, still running or dead stays.
@Suite("Retention of published outbox rows and finished jobs' attempts")
struct RetentionTests {
    private static let logger = Logger(label: "test.retention") { _ in SwiftLogNoOpLogHandler() }

    /// A job in `state`, finished (when terminal) and with one attempt started `daysAgo`.
    private static func job(_ state: String, daysAgo: Int, on connection: PostgresConnection) throws -> UUID {
        let terminal = ["succeeded", "dead", "cancelled", "superseded"].contains(state)
        let id = try connection.query("""
            INSERT INTO jobs (kind, queue, state, payload, attempts, created_at, started_at, finished_at)
            VALUES ('test.retention', 'test', \(state)::job_state, '{}', 1,
                    now() - make_interval(days => \(daysAgo)), now() - make_interval(days => \(daysAgo)),
                    CASE WHEN \(terminal) THEN now() - make_interval(days => \(daysAgo)) END)
            RETURNING id
            """)[0].decode(UUID.self, column: "id")
        try connection.execute("""
            INSERT INTO job_attempts (job_id, attempt, started_at, finished_at, outcome)
            VALUES (\(id), 1, now() - make_interval(days => \(daysAgo)), now() - make_interval(days => \(daysAgo)), 'failed')
            """)
        return id
    }

    private static func outboxRow(daysAgo: Int, published: Bool, on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO outbox (exchange, routing_key, body, created_at, published_at)
            VALUES ('itp.jobs', 'test', '\\x7b7d', now() - make_interval(days => \(daysAgo)),
                    CASE WHEN \(published) THEN now() - make_interval(days => \(daysAgo)) END)
            """)
    }

    @Test("old published rows and old attempts of finished jobs go; recent, unpublished, open and dead ones stay")
    func prunesOnlyWhatTheSettingsSay() async throws {
        let schema = try await MigratedSchema.create("retention")
        let database = PostgresClient(conninfo: schema.conninfo, maxConnections: 2, logger: Self.logger)
        defer { schema.drop() }
        do {
            let (kept, pruned) = try await database.withTransaction { connection -> ([UUID], [UUID]) in
                for _ in 0..<7 { try Self.outboxRow(daysAgo: 10, published: true, on: connection) }
                try Self.outboxRow(daysAgo: 10, published: false, on: connection)  // stuck, never published: kept
                try Self.outboxRow(daysAgo: 2, published: true, on: connection)    // within 7 days: kept
                let pruned = try ["succeeded", "cancelled", "superseded"].map { try Self.job($0, daysAgo: 100, on: connection) }
                let kept = [
                    try Self.job("dead", daysAgo: 100, on: connection),       // its dead letter shows these
                    try Self.job("retrying", daysAgo: 100, on: connection),   // not finished
                    try Self.job("succeeded", daysAgo: 30, on: connection),   // within 90 days
                ]
                return (kept, pruned)
            }
            var retention = Retention(outboxDays: 7, attemptDays: 90)
            retention.batchSize = 3  // several batches, the last one short
            let result = try await retention.pruneOnce(database)
            #expect(result == Retention.Pruned(outboxRows: 7, attemptRows: 3))

            try await database.withConnection { connection in
                let outbox = try connection.query("SELECT count(*)::int AS n FROM outbox")[0].decode(Int.self, column: "n")
                #expect(outbox == 2)
                let remaining = Set(try connection.query("SELECT job_id FROM job_attempts").map { try $0.decode(UUID.self, column: "job_id") })
                #expect(remaining == Set(kept))
                // The job rows themselves stay, with their counts.
                let jobs = try connection.query("SELECT count(*)::int AS n FROM jobs WHERE id = ANY(\(pruned))")[0].decode(Int.self, column: "n")
                #expect(jobs == 3)
            }
            // Nothing left to do: a second pass deletes nothing; 0 days would have kept all.
            #expect(try await retention.pruneOnce(database) == Retention.Pruned())
            #expect(try await Retention(outboxDays: nil, attemptDays: nil).pruneOnce(database) == Retention.Pruned())
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
}
