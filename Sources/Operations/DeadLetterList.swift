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
        try withoutJIT(connection)
        let rows = try connection.query("""
            SELECT \(DeadLetterRow.columns)
            FROM dead_letters d
            WHERE \(selection.conditions) AND (\(before)::bigint IS NULL OR d.id < \(before))
            ORDER BY d.id DESC LIMIT \(limit + 1)
            """).map(DeadLetterRow.init(row:))
        let shown = Array(rows.prefix(limit))
        return Page(rows: shown, nextBefore: rows.count > limit ? shown.last?.id : nil)
    }

    public static func count(_ selection: DeadLetterSelection, on connection: PostgresConnection) throws -> Int {
        try withoutJIT(connection)
        return try connection.query("""
            SELECT count(*) AS n FROM dead_letters d WHERE \(selection.conditions)
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
/// (and once 87 s) on a busy 2-core machine at 100,000 dead letters (benchmarks/console/run).
/// They run in milliseconds without it, so the connection reading them turns it off.
func withoutJIT(_ connection: PostgresConnection) throws {
    try connection.simpleQuery("SET jit = off")
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
