import Foundation
public import Logging
public import Postgres
public import ServiceLifecycle
import Vocabulary

/// The safety net for lost events (DESIGN.md §1 step 6: "a lost event never strands a
/// product"): every interval, products still in flight and quiet for a while are
/// re-evaluated from the database. On graceful shutdown it stops at once, also between the
/// products of a pass and in its wait for the next pass.
public final class SweepService: Service, Sendable {
    private let database: PostgresClient
    private let interval: Duration
    private let quietFor: Duration
    private let logger: Logger

    public init(database: PostgresClient, interval: Duration = .seconds(15), quietFor: Duration = .seconds(10), logger: Logger) {
        self.database = database
        self.interval = interval
        self.quietFor = quietFor
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let settled = try await sweepOnce()
                if settled > 0 { logger.notice("sweep settled products", metadata: [LogKey.sweepSettled: "\(settled)"]) }
            } catch {
                logger.warning("sweep failed", metadata: [LogKey.error: .error(error)])
            }
            // Graceful shutdown ends the wait: a plain sleep would hold the whole shutdown
            // (the services behind this one stop only after it returns) for up to an interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// One pass; returns how many products changed status.
    @discardableResult
    public func sweepOnce() async throws -> Int {
        let quietSeconds = Double(quietFor / .milliseconds(1)) / 1000
        let candidates = try await database.withConnection { connection in
            try connection.query("""
                SELECT id FROM products
                WHERE status IN ('draft', 'generating_designs', 'generating_mockups')
                  AND updated_at < now() - make_interval(secs => \(quietSeconds))
                ORDER BY updated_at LIMIT 500
                """).map { try $0.decode(UUID.self, at: 0) }
        }
        var settled = 0
        // A pass of up to 500 products stops at shutdown: the next pass, here or elsewhere, goes on.
        for productID in candidates where !Task.isShuttingDownGracefully && !Task.isCancelled {
            let decision = try await database.withTransaction { connection in
                try ProductSettlement.evaluate(productID, on: connection)
            }
            if decision != .nothingToDo { settled += 1 }
        }
        return settled
    }
}
