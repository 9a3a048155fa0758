public import Postgres

/// How long the runtime's history is kept: published outbox rows, and the attempts of jobs
/// that finished without a dead letter (`succeeded`, `cancelled`, `superseded`; a dead
/// job keeps its attempts, which its dead letter shows). A job row itself is kept: it holds
/// the product's history, counts and last error.
///
/// Deletes in batches, each its own short transaction with `SKIP LOCKED`, so several
/// finalizers pruning at once neither wait on each other nor hold locks long.
public struct Retention: Sendable, Equatable {
    /// Days a published outbox row is kept; nil keeps them all.
    public var outboxDays: Int?
    /// Days the attempts of a finished job are kept; nil keeps them all.
    public var attemptDays: Int?
    public var batchSize = 5_000
    /// Batches per table in one pass (the rest waits for the next pass).
    public var maxBatches = 20

    public init(outboxDays: Int?, attemptDays: Int?) {
        self.outboxDays = outboxDays
        self.attemptDays = attemptDays
    }

    public struct Pruned: Sendable, Equatable {
        public var outboxRows: Int
        public var attemptRows: Int

        public init(outboxRows: Int = 0, attemptRows: Int = 0) {
            self.outboxRows = outboxRows
            self.attemptRows = attemptRows
        }
    }

    /// One pass over both tables.
    public func pruneOnce(_ database: PostgresClient) async throws -> Pruned {
        var pruned = Pruned()
        if let outboxDays {
            pruned.outboxRows = try await batches(database) { connection, limit in
                try connection.execute("""
                    DELETE FROM outbox WHERE id IN (
                        SELECT id FROM outbox
                        WHERE created_at < now() - make_interval(days => \(outboxDays)) AND published_at IS NOT NULL
                        ORDER BY created_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                    """)
            }
        }
        if let attemptDays {
            pruned.attemptRows = try await batches(database) { connection, limit in
                try connection.execute("""
                    DELETE FROM job_attempts WHERE id IN (
                        SELECT a.id FROM job_attempts a JOIN jobs j ON j.id = a.job_id
                        WHERE a.started_at < now() - make_interval(days => \(attemptDays)) AND a.finished_at IS NOT NULL
                          AND j.state IN ('succeeded', 'cancelled', 'superseded')
                        ORDER BY a.started_at LIMIT \(limit) FOR UPDATE OF a SKIP LOCKED)
                    """)
            }
        }
        return pruned
    }

    private func batches(_ database: PostgresClient, _ delete: @Sendable @escaping (PostgresConnection, Int) throws -> Int) async throws -> Int {
        var total = 0
        for _ in 0..<maxBatches {
            let limit = batchSize
            let deleted = try await database.withTransaction { try delete($0, limit) }
            total += deleted
            if deleted < limit { break }
        }
        return total
    }
}
