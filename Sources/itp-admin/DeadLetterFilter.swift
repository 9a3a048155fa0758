import ArgumentParser
import Foundation
import JobRuntime
import Postgres

/// The filters `dlq list`, `dlq replay` and `dlq purge` share. They apply to
/// `dead_letters d LEFT JOIN jobs j ON j.id = d.job_id`.
struct DeadLetterFilter: ParsableArguments {
    @Option(help: "Work queue the message died on (or its <queue>.dead name).") var queue: String?
    @Option(help: "Job kind (design.generate, mockup.flat_lay, mockup.mr_imagine, finalizer.event, canary, …).") var kind: String?
    @Option(help: "Error class: rate_limited, transient or permanent.") var errorClass: String?
    @Option(help: "Failure stage (provider_call, decode_message, broker_delivery_limit, …).") var stage: String?
    @Option(help: "Dead-lettered at or after: an ISO 8601 time (2024-05-01, 2024-05-01T10:00:00Z) or an age (90m, 2h, 7d).")
    var since: String?
    @Option(help: "Dead-lettered before: an ISO 8601 time or an age (as --since).") var until: String?
    @Option(help: "Only dead letters of this product id.") var product: String?
    @Flag(help: "Only dead letters whose job is still dead (not replayed, or replayed and dead again).") var unresolved = false

    init() {}

    var isEmpty: Bool {
        queue == nil && kind == nil && errorClass == nil && stage == nil && since == nil && until == nil && product == nil && !unresolved
    }

    func validate() throws {
        if let errorClass, ErrorClass(rawValue: errorClass) == nil {
            throw ValidationError("--error-class must be one of \(ErrorClass.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let product, UUID(uuidString: product) == nil { throw ValidationError("--product must be a product id (UUID)") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimeBound(value) == nil { throw ValidationError("\(name): '\(value)' is neither an ISO 8601 time nor an age like 90m, 2h, 7d") }
        }
    }

    /// `TRUE AND …` conditions for a WHERE clause.
    var conditions: SQL {
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
        if let product, let id = UUID(uuidString: product) { sql = sql + " AND d.product_id = \(id)" }
        if unresolved { sql = sql + " AND (j.id IS NULL OR j.state = 'dead')" }
        return sql
    }
}

/// A point in time given as ISO 8601 text (parsed by Postgres) or as an age (`90m`, `2h`, `7d`).
struct TimeBound {
    var sql: SQL

    init?(_ text: String) {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        if let unit = text.last, let factor = units[unit], let amount = Int(text.dropLast()), amount >= 0 {
            sql = "now() - make_interval(secs => \(amount * factor))"
            return
        }
        let iso = ISO8601DateFormatter()
        let dateOnly = DateFormatter()
        dateOnly.dateFormat = "yyyy-MM-dd"
        dateOnly.timeZone = TimeZone(identifier: "UTC")
        dateOnly.locale = Locale(identifier: "en_US_POSIX")
        if let date = iso.date(from: text) ?? dateOnly.date(from: text) {
            sql = "\(date)::timestamptz"
            return
        }
        return nil
    }
}
