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
                attempt: try row.decode(Int.self, at: 0), worker: try row.decode(String?.self, at: 1),
                startedAt: try row.decode(Date.self, at: 2), finishedAt: try row.decode(Date?.self, at: 3),
                outcome: try row.decode(String?.self, at: 4), errorClass: try row.decode(String?.self, at: 5),
                failureStage: try row.decode(String?.self, at: 6), errorMessage: try row.decode(String?.self, at: 7))
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
