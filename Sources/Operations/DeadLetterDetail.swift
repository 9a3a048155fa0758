import Foundation
public import Postgres

/// One dead letter with its message (id, headers, body), its job and every attempt's error:
/// what `itp-admin dlq show` prints and the console's dead-letter page shows.
public struct DeadLetterDetail: Sendable {
    public var deadLetter: DeadLetterSummary
    public var messageId: String?
    /// The headers as recorded (a JSON object's text).
    public var headers: String
    public var body: [UInt8]
    public var job: JobView?
    public var attempts: [JobAttemptView]

    public static func load(_ id: Int64, on connection: PostgresConnection) throws -> DeadLetterDetail? {
        guard let row = try connection.query("""
            SELECT \(DeadLetterSummary.columns), d.message_id, d.headers::text, d.body
            FROM dead_letters d LEFT JOIN jobs j ON j.id = d.job_id WHERE d.id = \(id)
            """).first else { return nil }
        let summary = try DeadLetterSummary(row)
        let job = try summary.jobId.flatMap { try JobView.find($0, on: connection) }
        return DeadLetterDetail(
            deadLetter: summary, messageId: try row.decode(String?.self, column: "message_id"),
            headers: try row.decode(String.self, column: "headers"), body: try row.decode([UInt8].self, column: "body"), job: job,
            attempts: try job.map { try JobAttemptView.all(job: $0.id, on: connection) } ?? [])
    }
}
