public import Logging
public import Postgres
public import ServiceLifecycle
import Synchronization

/// Keeps a cheap, non-blocking answer to "is the database reachable?" for /readyz: a
/// `SELECT 1` every interval on the pool.
public final class DatabaseProbe: Service, Sendable {
    private let database: PostgresClient
    private let interval: Duration
    private let logger: Logger
    private let reachable = Atomic<Bool>(false)

    public init(database: PostgresClient, interval: Duration = .seconds(2), logger: Logger) {
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    public var isReachable: Bool { reachable.load(ordering: .relaxed) }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let ok: Bool
            do {
                try await database.withConnection { try $0.query("SELECT 1") }
                ok = true
            } catch {
                ok = false
            }
            if reachable.exchange(ok, ordering: .relaxed) != ok {
                if ok { logger.info("database reachable") } else { logger.warning("database unreachable") }
            }
            // Not a plain sleep: shutdown would wait it out before stopping the next service.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }
}
