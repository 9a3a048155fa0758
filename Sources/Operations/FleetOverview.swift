public import Foundation
public import Postgres

/// The console's overview, read from Postgres: products by status, jobs by state, the outbox
/// backlog (the work queues are ``QueueSnapshot``s, as `itp-admin queues` shows them), dead letters grouped by queue, error class
/// and stage (the dead letter's own columns; '' where it recorded none), and hourly counts of
/// dead letters and finished jobs over the last 24 hours.
public struct FleetOverview: Sendable {
    public struct Count: Sendable {
        public var name: String
        public var count: Int
    }

    public struct DeadGroup: Sendable {
        public var queue: String
        public var errorClass: String
        public var stage: String
        public var count: Int
    }

    public struct Hour: Sendable {
        public var start: Date
        public var deadLetters: Int
        public var finishedJobs: Int
    }

    public var products: [Count]
    public var jobs: [Count]
    public var outboxBacklog: Int
    public var deadLetters: [DeadGroup]
    public var hours: [Hour]

    public static func load(on connection: PostgresConnection) throws -> FleetOverview {
        try listSettings(connection)
        let products = try connection.query("SELECT status::text AS name, count(*)::int AS n FROM products GROUP BY 1 ORDER BY 1").map {
            Count(name: try $0.decode(String.self, column: "name"), count: try $0.decode(Int.self, column: "n"))
        }
        // Grouped by the enum itself (an index-only scan of jobs_state), not by its text.
        let jobs = try connection.query("SELECT state::text AS name, count(*)::int AS n FROM jobs GROUP BY state ORDER BY 1").map {
            Count(name: try $0.decode(String.self, column: "name"), count: try $0.decode(Int.self, column: "n"))
        }
        let backlog = try connection.query("""
            SELECT count(*)::int AS n FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 10000) o
            """)[0].decode(Int.self, column: "n")
        // Kept per group of the dead letter's own columns by a trigger on dead_letters
        // (migrations/0013_dead_letters_still_dead.sql): a few dozen rows, however many dead
        // letters there are, summed here by work queue, class and stage ('' where none was recorded).
        let dead = try connection.query("""
            SELECT COALESCE(original_queue, queue) AS queue, COALESCE(error_class::text, '') AS error_class,
                   COALESCE(failure_stage, '') AS stage, sum(count)::int AS n
            FROM dead_letter_groups GROUP BY 1, 2, 3
            ORDER BY n DESC, queue, error_class, stage LIMIT 50
            """).map { row in
            DeadGroup(queue: try row.decode(String.self, column: "queue"), errorClass: try row.decode(String.self, column: "error_class"),
                      stage: try row.decode(String.self, column: "stage"), count: try row.decode(Int.self, column: "n"))
        }
        let hours = try connection.query("""
            SELECT h.start,
                   (SELECT count(*) FROM dead_letters d WHERE d.dead_lettered_at >= h.start AND d.dead_lettered_at < h.start + interval '1 hour')::int AS dead,
                   (SELECT count(*) FROM jobs j WHERE j.finished_at >= h.start AND j.finished_at < h.start + interval '1 hour'
                      AND j.state = 'succeeded')::int AS finished
            FROM generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') AS h(start)
            ORDER BY h.start
            """).map { row in
            Hour(start: try row.decode(Date.self, column: "start"), deadLetters: try row.decode(Int.self, column: "dead"),
                 finishedJobs: try row.decode(Int.self, column: "finished"))
        }
        return FleetOverview(products: products, jobs: jobs, outboxBacklog: backlog, deadLetters: dead, hours: hours)
    }
}
