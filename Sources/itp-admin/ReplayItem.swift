import Foundation
import Operations

/// One dead letter (or job) in a replay, with its result, as printed and as `--json`.
struct ReplayItem: Encodable, Sendable {
    var deadLetter: Int64?
    var job: UUID?
    /// `replayed`, `skipped` or `refused` (with `would_` in a dry run).
    var result: String
    var detail: String
    /// The replay's outbox message.
    var messageId: UUID?
    /// Whether the broker confirmed that message before itp-admin exited (else a daemon's
    /// relay publishes it).
    var published: Bool?

    var line: String {
        let subject = deadLetter.map { "dead letter \($0)" } ?? "job \(job?.uuidString.lowercased() ?? "?")"
        return "\(subject): \(result.replacingOccurrences(of: "_", with: " ")) — \(detail)"
    }
}

extension ReplayItem {
    init(_ item: ReplayBatch.Item) {
        self.init(deadLetter: item.deadLetter, job: item.job, result: item.result, detail: item.detail, messageId: item.messageId)
    }
}
