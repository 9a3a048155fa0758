import ArgumentParser
import Foundation
import Operations
import Postgres
import Settings

struct DLQShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one dead letter: reason, headers, body, its job and every attempt's error.",
        discussion: "Exit codes: 0 success; 1 no such dead letter; 69 the database is unreachable.")

    @OptionGroup var options: DaemonOptions
    @Argument(help: "The dead letter's id (from dlq list).") var id: Int64
    @Flag(help: "Print JSON for scripts.") var json = false
    @Option(help: "Show at most this many bytes of the body (a dead letter can be megabytes).")
    var bodyLimit = 4096
    @Flag(help: "Show the whole body, however large.") var fullBody = false

    func validate() throws {
        guard bodyLimit >= 0 else { throw ValidationError("--body-limit must be 0 or more") }
    }

    struct Detail: Encodable {
        var deadLetter: DeadLetterSummary
        var messageId: String?
        var headers: [String: JSONValue]
        /// The body (up to the limit) as text when it is UTF-8 (job messages are JSON), else nil.
        var body: String?
        var bodyBase64: String
        /// The whole body's size, and whether `body`/`bodyBase64` hold only its first bytes.
        var bodyBytes: Int
        var bodyTruncated: Bool
        var job: JobView?
        var attempts: [JobAttemptView]
    }

    func run() throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin dlq show")
        let connection = try AdminConnection.postgres(settings)
        defer { connection.close() }
        let detail: Detail? = try AdminFailure.report {
            guard let row = try connection.query("""
                SELECT \(DeadLetterSummary.columns), d.message_id, d.headers::text, d.body
                FROM dead_letters d LEFT JOIN jobs j ON j.id = d.job_id WHERE d.id = \(id)
                """).first else { return nil }
            let summary = try DeadLetterSummary(row)
            let headersText = try row.decode(String.self, column: "headers")
            let whole = try row.decode([UInt8].self, column: "body")
            let truncated = !fullBody && whole.count > bodyLimit
            // A cut may split a UTF-8 sequence: the shown prefix is decoded leniently.
            let body = truncated ? Array(whole.prefix(bodyLimit)) : whole
            let text = truncated ? String(decoding: body, as: UTF8.self) : String(validating: body, as: UTF8.self)
            let job = try summary.jobId.flatMap { try JobView.find($0, on: connection) }
            return Detail(
                deadLetter: summary, messageId: try row.decode(String?.self, column: "message_id"),
                headers: (try? JSONDecoder().decode([String: JSONValue].self, from: Data(headersText.utf8))) ?? [:],
                body: text, bodyBase64: Data(body).base64EncodedString(), bodyBytes: whole.count, bodyTruncated: truncated,
                job: job, attempts: try job.map { try JobAttemptView.all(job: $0.id, on: connection) } ?? [])
        }
        guard let detail else { AdminFailure.fail("no dead letter \(id)", code: 1) }
        if json {
            try AdminJSON.print(detail)
            return
        }
        let letter = detail.deadLetter
        print("dead letter \(letter.id)")
        print("  dead-lettered: \(Timestamp.format(letter.deadLetteredAt)) from \(letter.originalQueue) (recorded from \(letter.queue))")
        print("  reason: \(letter.reason)")
        print("  class: \(letter.errorClass ?? "-")  stage: \(letter.failureStage ?? "-")  kind: \(letter.jobKind ?? "-")")
        print("  message id: \(detail.messageId ?? "-")")
        print("  replays: \(letter.replayCount)" + (letter.lastReplayedAt.map { ", last \(Timestamp.format($0))" } ?? ""))
        if let product = letter.productId { print("  product: \(product.uuidString.lowercased())") }
        print("headers:")
        for (key, value) in detail.headers.sorted(by: { $0.key < $1.key }) { print("  \(key): \(value.text)") }
        if detail.bodyTruncated {
            print("body (\(detail.bodyBytes) bytes; the first \(bodyLimit) shown, --full-body for all):")
            print("  " + (detail.body ?? "").replacingOccurrences(of: "\n", with: "\n  "))
            print("  … \(detail.bodyBytes - bodyLimit) more bytes not shown")
        } else {
            print("body (\(detail.bodyBytes) bytes):")
            print("  " + (detail.body.map(Self.pretty) ?? "(binary) base64:\(detail.bodyBase64)").replacingOccurrences(of: "\n", with: "\n  "))
        }
        guard let job = detail.job else {
            print("job: none (the message named no job of this database: it cannot be replayed)")
            return
        }
        print("job \(job.id.uuidString.lowercased()): \(job.kind) on \(job.queue), \(job.state), \(job.attempts) attempt(s)")
        if let error = job.lastError { print("  last error\(job.state == "succeeded" ? " (before it succeeded)" : ""): \(error)") }
        print("attempts:")
        if detail.attempts.isEmpty { print("  none (dead-lettered before any attempt)") }
        for attempt in detail.attempts { print("  \(attempt.line)") }
    }

    private static func pretty(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}
