public import Foundation
public import Postgres

/// One row of `job_attempts`: every attempt's outcome and error, not only the last.
public struct JobAttemptView: Encodable, Sendable {
    public var attempt: Int
    public var worker: String?
    public var startedAt: Date
    public var finishedAt: Date?
    public var outcome: String?
    public var errorClass: String?
    public var failureStage: String?
    public var errorMessage: String?

    public static func all(job: UUID, on connection: PostgresConnection) throws -> [JobAttemptView] {
        try connection.query("""
            SELECT attempt, worker, started_at, finished_at, outcome, error_class::text, failure_stage, error_message
            FROM job_attempts WHERE job_id = \(job) ORDER BY id
            """).map { row in
            JobAttemptView(
                attempt: try row.decode(Int.self, column: "attempt"), worker: try row.decode(String?.self, column: "worker"),
                startedAt: try row.decode(Date.self, column: "started_at"), finishedAt: try row.decode(Date?.self, column: "finished_at"),
                outcome: try row.decode(String?.self, column: "outcome"), errorClass: try row.decode(String?.self, column: "error_class"),
                failureStage: try row.decode(String?.self, column: "failure_stage"), errorMessage: try row.decode(String?.self, column: "error_message"))
        }
    }
}
