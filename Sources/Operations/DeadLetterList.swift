public import Foundation
public import Postgres

/// Reading dead letters by a ``DeadLetterSelection``: a page newest first (keyset on the id,
/// so page 500 costs what page 1 does), the number that match, the targets of a bulk action.
public enum DeadLetterList {
    public struct Page: Sendable {
        public var rows: [DeadLetterRow]
        /// The id to pass as `before` for the next page; nil on the last page.
        public var nextBefore: Int64?
    }

    public static func page(_ selection: DeadLetterSelection, before: Int64?, limit: Int, on connection: PostgresConnection) throws -> Page {
        try listSettings(connection)
        let rows = try connection.query("""
            SELECT \(DeadLetterRow.columns)
            FROM dead_letters d
            WHERE \(selection.conditions) AND (\(before)::bigint IS NULL OR d.id < \(before))
            ORDER BY d.id DESC LIMIT \(limit + 1)
            """).map(DeadLetterRow.init(row:))
        let shown = Array(rows.prefix(limit))
        return Page(rows: shown, nextBefore: rows.count > limit ? shown.last?.id : nil)
    }

    /// A page and the number of all that match, without reading what matches twice. With a text
    /// search, the trigram index is the way to the rows for the page and the count alike, so one
    /// query reads the ids that match once, counting them as it goes (`count(*) OVER ()`) and
    /// keeping the page's; only the page's rows are then read in full. Otherwise the page walks the
    /// newest ids and stops after a page, and the number is ``count(_:on:)`` (a first page that is
    /// also the last is its own count).
    public static func pageAndCount(
        _ selection: DeadLetterSelection, before: Int64?, limit: Int, on connection: PostgresConnection
    ) throws -> (page: Page, matching: Int) {
        guard selection.text != nil else {
            let page = try page(selection, before: before, limit: limit, on: connection)
            let total = before == nil && page.nextBefore == nil ? page.rows.count : try count(selection, on: connection)
            return (page, total)
        }
        try listSettings(connection)
        let found = try connection.query("""
            SELECT m.id, m.total FROM (
                SELECT d.id, count(*) OVER () AS total FROM dead_letters d WHERE \(selection.conditions)
            ) m
            WHERE \(before)::bigint IS NULL OR m.id < \(before)
            ORDER BY m.id DESC LIMIT \(limit + 1)
            """).map { (try $0.decode(Int64.self, column: "id"), try $0.decode(Int.self, column: "total")) }
        // A page past the end holds no row to carry the number: counted apart.
        guard let total = found.first?.1 else { return (Page(rows: [], nextBefore: nil), try count(selection, on: connection)) }
        let ids = found.prefix(limit).map(\.0)
        let rows = try connection.query("""
            SELECT \(DeadLetterRow.columns) FROM dead_letters d WHERE d.id = ANY(\(ids)) ORDER BY d.id DESC
            """).map(DeadLetterRow.init(row:))
        return (Page(rows: rows, nextBefore: found.count > limit ? ids.last : nil), total)
    }

    /// The number of dead letters that match. A filter on the queue, kind, error class and stage
    /// alone (or none) is the sum of the trigger-kept `dead_letter_groups` whose columns match, a
    /// few dozen rows however many dead letters there are (migration 0013), plus the dead letters
    /// that recorded no value in a filtered column, for which the filter asks their job: those are
    /// counted one by one, through an index that holds only them (none when every dead letter
    /// recorded its kind, class and stage). Any other filter counts the rows.
    public static func count(_ selection: DeadLetterSelection, on connection: PostgresConnection) throws -> Int {
        try listSettings(connection)
        guard selection.isOnGroupColumns else {
            return try connection.query("""
                SELECT count(*) AS n FROM dead_letters d WHERE \(selection.conditions)
                """)[0].decode(Int.self, column: "n")
        }
        let grouped: SQL = "SELECT COALESCE(sum(d.count), 0)::bigint FROM dead_letter_groups d WHERE \(selection.recordedConditions)"
        let fallback = selection.fallbackColumns
        guard let first = fallback.first else {
            return try connection.query("SELECT (\(grouped)) AS n")[0].decode(Int.self, column: "n")
        }
        let anyNull = fallback.dropFirst().reduce(first) { $0 + " OR " + $1 }
        // The predicate of dead_letters_unrecorded, written out so the planner takes that index.
        return try connection.query("""
            SELECT (\(grouped)) + (
                SELECT count(*) FROM dead_letters d
                WHERE (d.job_kind IS NULL OR d.error_class IS NULL OR d.failure_stage IS NULL) AND (\(anyNull)) AND \(selection.conditions)
            ) AS n
            """)[0].decode(Int.self, column: "n")
    }

    /// What a replay of the selection acts on: the latest dead letter of each job that is
    /// still dead, oldest first.
    public static func replayTargets(_ selection: DeadLetterSelection, on connection: PostgresConnection) throws -> [ReplayTarget] {
        try connection.query("""
            SELECT DISTINCT ON (d.job_id) d.id, d.job_id
            FROM dead_letters d JOIN jobs j ON j.id = d.job_id
            WHERE j.state = 'dead' AND \(selection.conditions)
            ORDER BY d.job_id, d.id DESC
            """).map { ReplayTarget(deadLetter: try $0.decode(Int64.self, column: "id"), job: try $0.decode(UUID?.self, column: "job_id")) }
            .sorted { ($0.deadLetter ?? 0) < ($1.deadLetter ?? 0) }
    }

    /// The named dead letters, in the order given; unknown ids are left out.
    public static func targets(ids: [Int64], on connection: PostgresConnection) throws -> [ReplayTarget] {
        let found = try connection.query("SELECT id, job_id FROM dead_letters WHERE id = ANY(\(ids))").map {
            (try $0.decode(Int64.self, column: "id"), try $0.decode(UUID?.self, column: "job_id"))
        }
        let known = Dictionary(found, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { id in known[id].map { ReplayTarget(deadLetter: id, job: $0) } }
    }
}

/// The planner costs each filter's fallback lookup of the job (an EXISTS per row) so high that
/// Postgres JIT-compiles these short queries with full optimisation, which alone took seconds
/// (and once 87 s) on a busy 2-core machine at 100,000 dead letters (benchmarks/console/run):
/// they run in milliseconds without it. And the dead letters a console reads are in memory: at
/// the default random_page_cost the planner scanned all 100,000 for a text search rather than
/// read the trigram index's matches (twice as slow). The console's own connections say so.
func listSettings(_ connection: PostgresConnection) throws {
    try connection.simpleQuery("SET jit = off; SET random_page_cost = 1.1")
}

/// A dead letter (or a job by id) to replay.
public struct ReplayTarget: Sendable, Equatable {
    public var deadLetter: Int64?
    public var job: UUID?

    public init(deadLetter: Int64?, job: UUID?) {
        self.deadLetter = deadLetter
        self.job = job
    }
}
