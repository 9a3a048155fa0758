public import JobRuntime
public import Logging
public import Postgres
public import ServiceLifecycle
import Vocabulary

/// Runs ``Retention`` in the finalizer: a pass soon after start and then every `interval`.
/// Every finalizer runs it; their batches skip each other's locked rows.
public final class RetentionService: Service, Sendable {
    private let database: PostgresClient
    private let retention: Retention
    private let interval: Duration
    private let logger: Logger

    public init(database: PostgresClient, retention: Retention, interval: Duration = .seconds(3600), logger: Logger) {
        self.database = database
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        guard retention.outboxDays != nil || retention.attemptDays != nil else {
            // Nothing to prune, ever (both settings 0). Stay in the group until shutdown: a
            // service that returns ends the whole finalizer ("a service has finished
            // unexpectedly"), which then exited at every start.
            try? await gracefulShutdown()
            return
        }
        // Not at the very start: a fleet restarting after an outage has other work first.
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let pruned = try await retention.pruneOnce(database)
                if pruned.outboxRows + pruned.attemptRows > 0 {
                    logger.notice("retention pruned history", metadata: [
                        LogKey.retentionOutboxRows: "\(pruned.outboxRows)", LogKey.retentionAttemptRows: "\(pruned.attemptRows)",
                    ])
                }
            } catch {
                logger.warning("retention pass failed", metadata: [LogKey.error: .error(error)])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }
}
