import Foundation
import Postgres

/// One dead letter with its body, headers, its job and every attempt's error (the console's
/// detail page; `itp-admin dlq show` prints the same rows).
struct DeadLetterDetail: Sendable {
    struct Attempt: Sendable {
        var attempt: Int
        var outcome: String?
        var errorClass: String?
        var stage: String?
        var error: String?
        var startedAt: Date
    }

    var id: Int64
    var queue: String
    var originalQueue: String?
    var kind: String
    var reason: String
    var errorClass: String
    var stage: String
    var headers: String
    var body: Data
    var jobID: UUID?
    var jobState: String?
    var jobAttempts: Int?
    var jobLastError: String?
    var productID: UUID?
    var deadLetteredAt: Date
    var replayCount: Int
    var attempts: [Attempt]

    static func load(_ id: Int64, on connection: PostgresConnection) throws -> DeadLetterDetail? {
        guard let row = try connection.query("""
            SELECT d.id, d.queue, d.original_queue, COALESCE(d.job_kind, j.kind, '') AS kind, d.reason,
                   COALESCE(COALESCE(d.error_class, j.error_class)::text, '') AS error_class,
                   COALESCE(d.failure_stage, j.failure_stage, '') AS stage, jsonb_pretty(d.headers) AS headers, d.body,
                   d.job_id, j.state::text AS job_state, j.attempts, j.last_error, d.product_id, d.dead_lettered_at, d.replay_count
            FROM dead_letters d LEFT JOIN jobs j ON j.id = d.job_id WHERE d.id = \(id)
            """).first else { return nil }
        let jobID = try row.decode(UUID?.self, column: "job_id")
        let attempts = try jobID.map { job in
            try connection.query("""
                SELECT attempt, outcome, error_class::text AS error_class, failure_stage, error_message, started_at
                FROM job_attempts WHERE job_id = \(job) ORDER BY attempt, id
                """).map { row in
                Attempt(
                    attempt: try row.decode(Int.self, column: "attempt"), outcome: try row.decode(String?.self, column: "outcome"),
                    errorClass: try row.decode(String?.self, column: "error_class"), stage: try row.decode(String?.self, column: "failure_stage"),
                    error: try row.decode(String?.self, column: "error_message"), startedAt: try row.decode(Date.self, column: "started_at"))
            }
        } ?? []
        return DeadLetterDetail(
            id: try row.decode(Int64.self, column: "id"), queue: try row.decode(String.self, column: "queue"),
            originalQueue: try row.decode(String?.self, column: "original_queue"), kind: try row.decode(String.self, column: "kind"),
            reason: try row.decode(String.self, column: "reason"), errorClass: try row.decode(String.self, column: "error_class"),
            stage: try row.decode(String.self, column: "stage"), headers: try row.decode(String.self, column: "headers"),
            body: try row.decode(Data.self, column: "body"), jobID: jobID, jobState: try row.decode(String?.self, column: "job_state"),
            jobAttempts: try row.decode(Int?.self, column: "attempts"), jobLastError: try row.decode(String?.self, column: "last_error"),
            productID: try row.decode(UUID?.self, column: "product_id"), deadLetteredAt: try row.decode(Date.self, column: "dead_lettered_at"),
            replayCount: try row.decode(Int.self, column: "replay_count"), attempts: attempts)
    }
}
