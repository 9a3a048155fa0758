public import Foundation
import JobRuntime
public import Postgres

/// Which dead letters an operator means: the filters `itp-admin dlq list|replay|purge` and the
/// console's dead-letter list share. They apply to `dead_letters d LEFT JOIN jobs j ON j.id = d.job_id`.
public struct DeadLetterSelection: Sendable, Equatable, Codable {
    /// Work queue the message died on (or its `<queue>.dead` name).
    public var queue: String?
    public var kind: String?
    public var errorClass: String?
    public var stage: String?
    /// Dead-lettered at or after / before: ISO 8601 or an age (``TimeBound``).
    public var since: String?
    public var until: String?
    public var product: UUID?
    /// A case-insensitive substring of the dead letter's recorded reason (the error it died with).
    public var text: String?
    /// Only dead letters whose job is still dead.
    public var unresolved = false

    public init(
        queue: String? = nil, kind: String? = nil, errorClass: String? = nil, stage: String? = nil, since: String? = nil,
        until: String? = nil, product: UUID? = nil, text: String? = nil, unresolved: Bool = false
    ) {
        self.queue = queue
        self.kind = kind
        self.errorClass = errorClass
        self.stage = stage
        self.since = since
        self.until = until
        self.product = product
        self.text = text
        self.unresolved = unresolved
    }

    public var isEmpty: Bool {
        queue == nil && kind == nil && errorClass == nil && stage == nil && since == nil && until == nil && product == nil
            && text == nil && !unresolved
    }

    /// Why the selection cannot be used, in words for the person who typed it; nil when it can.
    public var problem: String? {
        if let errorClass, ErrorClass(rawValue: errorClass) == nil {
            return "error class must be one of \(ErrorClass.allCases.map(\.rawValue).joined(separator: ", "))"
        }
        for (name, value) in [("since", since), ("until", until)] {
            if let value, TimeBound(value) == nil { return "\(name): '\(value)' is neither an ISO 8601 time nor an age like 90m, 2h, 7d" }
        }
        if let text, text.count > 200 { return "the search text is longer than 200 characters" }
        return nil
    }

    /// `TRUE AND …` conditions on `dead_letters d` alone (use it after ``problem`` is nil: an
    /// unknown error class is refused there, before it reaches the enum cast). A column the dead letter recorded is
    /// compared directly; only where it is NULL is the job's own value looked up, so a count over
    /// 100,000 dead letters is one scan of them, not a join with every job. "Still dead only" is
    /// the dead letter's `still_dead`, which the schema keeps from its job's state (migration 0013).
    public var conditions: SQL { conditions(fallingBackToJob: true) }

    /// Whether every filter compares a column `dead_letter_groups` keeps (queue, kind, error class,
    /// stage, or none at all): the number that match is then the sum of its groups (``DeadLetterList/count(_:on:)``).
    var isOnGroupColumns: Bool { since == nil && until == nil && product == nil && text == nil && !unresolved }

    /// The dead letter's columns the filter compares that may be NULL, where ``conditions`` looks up the job instead.
    var fallbackColumns: [SQL] {
        [kind.map { _ in "d.job_kind IS NULL" }, errorClass.map { _ in "d.error_class IS NULL" }, stage.map { _ in "d.failure_stage IS NULL" }]
            .compactMap { $0 }
    }

    /// ``conditions`` without the job's fallback: the dead letter's own columns only, which
    /// `dead_letter_groups d` has under the same names (for a selection ``isOnGroupColumns``).
    var recordedConditions: SQL { conditions(fallingBackToJob: false) }

    private func conditions(fallingBackToJob fallback: Bool) -> SQL {
        /// `recorded`, or where the dead letter's column is NULL, `job` about its job `alias`.
        func orJob(_ recorded: SQL, column: String, alias: String, _ job: SQL) -> SQL {
            guard fallback else { return " AND \(recorded)" }
            return " AND (\(recorded) OR (d.\(unescaped: column) IS NULL AND EXISTS (SELECT 1 FROM jobs \(unescaped: alias) WHERE \(unescaped: alias).id = d.job_id AND \(job))))"
        }
        var sql: SQL = "TRUE"
        if let queue {
            let work = queue.hasSuffix(".dead") ? String(queue.dropLast(".dead".count)) : queue
            sql = sql + " AND (COALESCE(d.original_queue, d.queue) = \(work) OR d.queue = \(queue))"
        }
        if let kind { sql = sql + orJob("d.job_kind = \(kind)", column: "job_kind", alias: "jk", "jk.kind = \(kind)") }
        if let errorClass {
            sql = sql + orJob("d.error_class = \(errorClass)::error_class", column: "error_class", alias: "jc", "jc.error_class = \(errorClass)::error_class")
        }
        if let stage { sql = sql + orJob("d.failure_stage = \(stage)", column: "failure_stage", alias: "js", "js.failure_stage = \(stage)") }
        if let since, let bound = TimeBound(since) { sql = sql + " AND d.dead_lettered_at >= \(bound.sql)" }
        if let until, let bound = TimeBound(until) { sql = sql + " AND d.dead_lettered_at < \(bound.sql)" }
        if let product { sql = sql + " AND d.product_id = \(product)" }
        if let text {
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            sql = sql + " AND d.reason ILIKE \(pattern)"
        }
        if unresolved { sql = sql + " AND d.still_dead" }
        return sql
    }

    /// The selection as JSON text, for the audit.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
