public import Postgres

extension ClaimedJob {
    /// Runs `body` — writes outside Postgres, such as a job's blobs under its deterministic
    /// keys — while this attempt's claim is held `FOR SHARE`, so no later attempt of the
    /// same job can claim it meanwhile.
    ///
    /// Why: an attempt whose delivery was requeued (its broker connection broke) keeps
    /// running while the broker hands the job to another worker. Without the fence the old
    /// attempt could overwrite blobs the new one had already committed, leaving rows that
    /// describe other bytes (seen in the soak: sizes differing from the asset rows). With it,
    /// a write either finishes before the new attempt's claim, which then waits for it and
    /// writes its own bytes over it, or finds its claim gone and throws a transient failure,
    /// which records nothing (the attempt is no longer the job's) and sends no retry.
    public func whileClaimHeld<T: Sendable>(
        in database: PostgresClient, _ body: () async throws -> T
    ) async throws -> T {
        try await database.withReservedConnection { reserved in
            let (id, attempt) = (self.id, self.attempt)
            let held = try await reserved.run { connection in
                try connection.execute("BEGIN")
                return try connection.query("""
                    SELECT 1 FROM jobs WHERE id = \(id) AND state = 'running' AND attempts = \(attempt) FOR SHARE
                    """).count == 1
            }
            guard held else {
                try await reserved.run { try $0.execute("ROLLBACK") }
                throw JobFailure(.transient, "attempt \(attempt) no longer holds the job's claim", stage: "claim_fence")
            }
            do {
                let result = try await body()
                try await reserved.run { try $0.execute("COMMIT") }
                return result
            } catch {
                _ = try? await reserved.run { try $0.execute("ROLLBACK") }
                throw error
            }
        }
    }
}
