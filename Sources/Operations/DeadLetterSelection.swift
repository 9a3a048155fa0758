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
    /// A case-insensitive substring of the dead letter's reason or its job's last error.
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

    /// `TRUE AND …` conditions for a WHERE clause.
    public var conditions: SQL {
        var sql: SQL = "TRUE"
        if let queue {
            let work = queue.hasSuffix(".dead") ? String(queue.dropLast(".dead".count)) : queue
            sql = sql + " AND (COALESCE(d.original_queue, d.queue) = \(work) OR d.queue = \(queue))"
        }
        if let kind { sql = sql + " AND COALESCE(d.job_kind, j.kind) = \(kind)" }
        if let errorClass { sql = sql + " AND COALESCE(d.error_class, j.error_class)::text = \(errorClass)" }
        if let stage { sql = sql + " AND COALESCE(d.failure_stage, j.failure_stage) = \(stage)" }
        if let since, let bound = TimeBound(since) { sql = sql + " AND d.dead_lettered_at >= \(bound.sql)" }
        if let until, let bound = TimeBound(until) { sql = sql + " AND d.dead_lettered_at < \(bound.sql)" }
        if let product { sql = sql + " AND d.product_id = \(product)" }
        if let text {
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            sql = sql + " AND (d.reason ILIKE \(pattern) OR j.last_error ILIKE \(pattern))"
        }
        if unresolved { sql = sql + " AND (j.id IS NULL OR j.state = 'dead')" }
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
