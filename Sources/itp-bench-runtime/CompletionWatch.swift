import Postgres

/// Waits until a scenario's work is done, while the processes doing it are alive. The
/// figures come from the rows' own timestamps (see ``databaseNow(_:)``), so the poll
/// interval does not limit their resolution; 100 ms keeps the polling's own load on the
/// database negligible.
enum CompletionWatch {
    struct Outcome {
        var failure: String?
    }

    /// Polls `done` (a query answering one boolean) until it is true.
    static func wait(
        until done: SQL, on database: PostgresClient, processes: [ChildProcess], timeout: Duration, progress: SQL
    ) async -> Outcome {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                if try await database.withConnection({ try $0.query(done)[0].decode(Bool.self) }) { return Outcome() }
            } catch {
                return Outcome(failure: "polling failed: \(error)")
            }
            if let dead = processes.first(where: { !$0.isRunning }) {
                return Outcome(failure: "process \(dead.pid) exited early; log \(dead.logURL.path):\n\(dead.logTail())")
            }
            if ContinuousClock.now >= deadline {
                let count = (try? await database.withConnection { try $0.query(progress)[0].decode(Int.self) }) ?? -1
                return Outcome(failure: "timed out after \(timeout) with \(count) done")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The database clock (seconds since the epoch) just before the processes are spawned:
    /// row timestamps minus this are seconds on the scenario's clock.
    static func databaseNow(_ database: PostgresClient) async throws -> Double {
        try await database.withConnection {
            try $0.query("SELECT extract(epoch FROM clock_timestamp())::float8")[0].decode(Double.self)
        }
    }
}
