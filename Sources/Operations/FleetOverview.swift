public import Foundation
public import Postgres

/// The console's overview, read from Postgres: products by status, jobs by state, open jobs per
/// queue with the oldest one's age, the outbox backlog, dead letters grouped, and hourly counts
/// of dead letters and finished jobs over the last 24 hours.
public struct FleetOverview: Sendable {
    public struct Count: Sendable {
        public var name: String
        public var count: Int
    }

    public struct QueueLine: Sendable {
        public var queue: String
        public var queued: Int
        public var running: Int
        public var retrying: Int
        public var oldestWaitingSeconds: Int?
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
    public var queues: [QueueLine]
    public var outboxBacklog: Int
    public var deadLetters: [DeadGroup]
    public var hours: [Hour]

    public static func load(on connection: PostgresConnection) throws -> FleetOverview {
        try withoutJIT(connection)
        let products = try connection.query("SELECT status::text AS name, count(*)::int AS n FROM products GROUP BY 1 ORDER BY 1").map {
            Count(name: try $0.decode(String.self, column: "name"), count: try $0.decode(Int.self, column: "n"))
        }
        let jobs = try connection.query("SELECT state::text AS name, count(*)::int AS n FROM jobs GROUP BY 1 ORDER BY 1").map {
            Count(name: try $0.decode(String.self, column: "name"), count: try $0.decode(Int.self, column: "n"))
        }
        let queues = try connection.query("""
            SELECT queue, count(*) FILTER (WHERE state = 'queued')::int AS queued, count(*) FILTER (WHERE state = 'running')::int AS running,
                   count(*) FILTER (WHERE state = 'retrying')::int AS retrying,
                   extract(epoch FROM now() - min(created_at) FILTER (WHERE state IN ('queued', 'retrying')))::int AS oldest
            FROM jobs WHERE state IN ('queued', 'running', 'retrying') GROUP BY queue ORDER BY queue
            """).map { row in
            QueueLine(
                queue: try row.decode(String.self, column: "queue"), queued: try row.decode(Int.self, column: "queued"),
                running: try row.decode(Int.self, column: "running"), retrying: try row.decode(Int.self, column: "retrying"),
                oldestWaitingSeconds: try row.decode(Int?.self, column: "oldest"))
        }
        let backlog = try connection.query("""
            SELECT count(*)::int AS n FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 10000) o
            """)[0].decode(Int.self, column: "n")
        let dead = try connection.query("""
            SELECT COALESCE(d.original_queue, d.queue) AS queue,
                   COALESCE(d.error_class::text, (SELECT j.error_class::text FROM jobs j WHERE j.id = d.job_id), '') AS class,
                   COALESCE(d.failure_stage, (SELECT j.failure_stage FROM jobs j WHERE j.id = d.job_id), '') AS stage, count(*)::int AS n
            FROM dead_letters d
            GROUP BY 1, 2, 3 ORDER BY n DESC, 1, 2, 3 LIMIT 50
            """).map { row in
            DeadGroup(queue: try row.decode(String.self, column: "queue"), errorClass: try row.decode(String.self, column: "class"),
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
        return FleetOverview(products: products, jobs: jobs, queues: queues, outboxBacklog: backlog, deadLetters: dead, hours: hours)
    }
}
