import Foundation
import Postgres

/// Throughput and latencies of a run, from the database's own timestamps (not from the
/// harness's polling): create → awaiting_selection is the product's `created_at` to its
/// design job's `finished_at`; select → ready_for_sale is the creation of the selection's
/// mockup jobs (same transaction as the selection) to `ready_at`.
public struct BenchmarkFigures: Sendable {
    public var readyProducts = 0
    /// From the first product's creation to the last one's ready_for_sale.
    public var spanSeconds = 0.0
    public var createToAwaiting: [Double] = []
    public var selectToReady: [Double] = []
    /// Outbox rows published during the run, by routing key (every message the fleet sends,
    /// retries parked in delay queues included, goes through the outbox).
    public var messages: [String: Int] = [:]
    /// Transactions committed in the run's database from the first create until settled
    /// (`pg_stat_database.xact_commit` delta; the harness's own polling included).
    public var transactions = 0
    /// Transactions that wrote something in the same window: the transaction ids assigned
    /// (`pg_current_xact_id()` delta; read-only transactions — the harness's polling, the
    /// API's reads — get none).
    public var writeTransactions = 0

    public var messageCount: Int { messages.values.reduce(0, +) }

    public var productsPerMinute: Double { spanSeconds > 0 ? Double(readyProducts) / spanSeconds * 60 : 0 }

    public static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// Transaction counters at one moment: `xact_commit` of the current database, and the next
    /// transaction id (this call takes one: the difference of two snapshots counts it once).
    public struct TransactionCounters: Sendable {
        var committed = 0
        var transactionID = 0
    }

    static func transactionCounters(conninfo: String) throws -> TransactionCounters {
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let row = try connection.query("""
            SELECT xact_commit, pg_current_xact_id()::text::int8 AS xid FROM pg_stat_database WHERE datname = current_database()
            """)[0]
        return TransactionCounters(committed: try row.decode(Int.self, column: "xact_commit"), transactionID: try row.decode(Int.self, column: "xid"))
    }

    /// The run's products are those of the owners `ownerPattern` matches, and its messages the
    /// outbox rows written `since` the storefront started (a seeded history has neither).
    static func load(conninfo: String, transactionsBefore: TransactionCounters, ownerPattern: String, since: Date) throws -> BenchmarkFigures {
        let connection = try PostgresConnection.connect(conninfo)
        var figures = BenchmarkFigures()
        let rows = try connection.query("""
            SELECT extract(epoch FROM d.finished_at - p.created_at)::float8, extract(epoch FROM p.ready_at - m.selected_at)::float8
            FROM products p
            JOIN LATERAL (SELECT min(finished_at) AS finished_at FROM jobs
                          WHERE product_id = p.id AND kind = 'design.generate' AND state = 'succeeded') d ON true
            JOIN LATERAL (SELECT min(created_at) AS selected_at FROM jobs
                          WHERE product_id = p.id AND kind IN ('mockup.flat_lay', 'mockup.mr_imagine')
                            AND selection_version = p.selection_version) m ON true
            WHERE p.status = 'ready_for_sale' AND p.owner_id IN (SELECT id FROM owners WHERE name LIKE \(ownerPattern))
            """)
        for row in rows {
            let (createToAwaiting, selectToReady) = try row.decode((Double?, Double?).self)
            if let value = createToAwaiting { figures.createToAwaiting.append(value) }
            if let value = selectToReady { figures.selectToReady.append(value) }
        }
        let span = try connection.query("""
            SELECT count(*) FILTER (WHERE status = 'ready_for_sale'),
                   COALESCE(extract(epoch FROM max(ready_at) - min(created_at))::float8, 0)
            FROM products WHERE owner_id IN (SELECT id FROM owners WHERE name LIKE \(ownerPattern))
            """)[0]
        (figures.readyProducts, figures.spanSeconds) = try span.decode((Int, Double).self)
        for row in try connection.query("SELECT routing_key, count(*) AS n FROM outbox WHERE published_at IS NOT NULL AND created_at >= \(since) GROUP BY routing_key") {
            figures.messages[try row.decode(String.self, column: "routing_key")] = try row.decode(Int.self, column: "n")
        }
        connection.close()
        let after = try transactionCounters(conninfo: conninfo)
        figures.transactions = after.committed - transactionsBefore.committed
        figures.writeTransactions = after.transactionID - transactionsBefore.transactionID - 1
        return figures
    }
}
