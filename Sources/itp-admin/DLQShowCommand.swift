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
            guard let loaded = try DeadLetterDetail.load(id, on: connection) else { return nil }
            let whole = loaded.body
            let truncated = !fullBody && whole.count > bodyLimit
            // A cut may split a UTF-8 sequence: the shown prefix is decoded leniently.
            let body = truncated ? Array(whole.prefix(bodyLimit)) : whole
            let text = truncated ? String(decoding: body, as: UTF8.self) : String(validating: body, as: UTF8.self)
            return Detail(
                deadLetter: loaded.deadLetter, messageId: loaded.messageId,
                headers: (try? JSONDecoder().decode([String: JSONValue].self, from: Data(loaded.headers.utf8))) ?? [:],
                body: text, bodyBase64: Data(body).base64EncodedString(), bodyBytes: whole.count, bodyTruncated: truncated,
                job: loaded.job, attempts: loaded.attempts)
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
            print("  " + (detail.body.map(JSONText.pretty) ?? "(binary) base64:\(detail.bodyBase64)").replacingOccurrences(of: "\n", with: "\n  "))
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
}
