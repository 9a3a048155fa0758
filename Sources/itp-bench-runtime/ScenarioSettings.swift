import Foundation
import Schema

/// What every scenario of one run shares.
struct ScenarioSettings: Sendable {
    var databaseURL: String
    var amqpURL: String
    var items: Int
    var prefetch: Int
    /// Runtime: the workers' `--inline-batch-limit`.
    var inlineBatchLimit: Int
    /// Baseline: pooled Postgres connections per consumer process (the runtime's workers
    /// run at most `prefetch` jobs, each on its own pooled connection).
    var baselineDatabaseConnections: Int
    var workerBinary: String
    var harnessBinary: String
    var migrations: [MigrationFile]
    var logDirectory: URL
    var timeout: Duration

    func logURL(_ name: String) -> URL { logDirectory.appendingPathComponent(name + ".log") }
}
