import Foundation
import Postgres

/// One row of `job_attempts`: every attempt's outcome and error, not only the last.
struct JobAttemptView: Encodable, Sendable {
    var attempt: Int
    var worker: String?
    var startedAt: Date
    var finishedAt: Date?
    var outcome: String?
    var errorClass: String?
    var failureStage: String?
    var errorMessage: String?

    static func all(job: UUID, on connection: PostgresConnection) throws -> [JobAttemptView] {
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

    var line: String {
        var text = "#\(attempt) \(Timestamp.format(startedAt)) \(outcome ?? "unfinished")"
        if let worker { text += " on \(worker)" }
        if let errorClass { text += " [\(errorClass)" + (failureStage.map { " at \($0)" } ?? "") + "]" }
        if let errorMessage { text += ": \(errorMessage)" }
        return text
    }
}
