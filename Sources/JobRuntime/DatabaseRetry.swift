public import Logging
public import Postgres
import Vocabulary

/// Runs `body` on a pooled connection, retrying with backoff while the database is
/// unreachable (a restart must delay work, not fail it). Errors that are not connection
/// failures are rethrown at once. Returns nil when the task is cancelled while waiting.
public func withDatabaseRetry<T: Sendable>(
    _ database: PostgresClient, logger: Logger, attempts: Int = .max,
    _ body: @escaping @Sendable (PostgresConnection) throws -> T
) async throws -> T? {
    var delay = Duration.milliseconds(100)
    var attempt = 0
    while true {
        attempt += 1
        do {
            return try await database.withConnection(body)
        } catch let error as PostgresError where error.isConnectionFailure && attempt < attempts {
            if Task.isCancelled { return nil }
            logger.warning("database unavailable; retrying", metadata: [LogKey.dbError: "\(error.code)", LogKey.retryDelay: "\(delay)"])
            do { try await Task.sleep(for: delay) } catch { return nil }
            delay = min(delay * 2, .seconds(5))
        }
    }
}
