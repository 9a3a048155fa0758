public import Foundation
import Postgres

/// One row of `operator_audit`, as the audit page and `itp-admin audit` show it.
public struct AuditEntry: Sendable, Encodable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var surface: String
    public var action: String
    /// The ids or the filter the action applied to, as JSON text.
    public var selection: String
    /// The dry-run counts shown before the action, as JSON text (nil when there was none).
    public var dryRun: String?
    public var state: String
    public var total: Int
    public var succeeded: Int
    public var skipped: Int
    public var refused: Int
    public var rate: Double?
    public var result: String?
    public var finishedAt: Date?

    /// Items done so far.
    public var done: Int { succeeded + skipped + refused }

    static let columns: SQL = """
        id, at, actor, surface, action, selection::text AS selection, dry_run::text AS dry_run, state, total, succeeded,
        skipped, refused, rate, result, finished_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, column: "id")
        at = try row.decode(Date.self, column: "at")
        actor = try row.decode(String.self, column: "actor")
        surface = try row.decode(String.self, column: "surface")
        action = try row.decode(String.self, column: "action")
        selection = try row.decode(String.self, column: "selection")
        dryRun = try row.decode(String?.self, column: "dry_run")
        state = try row.decode(String.self, column: "state")
        total = try row.decode(Int.self, column: "total")
        succeeded = try row.decode(Int.self, column: "succeeded")
        skipped = try row.decode(Int.self, column: "skipped")
        refused = try row.decode(Int.self, column: "refused")
        rate = try row.decode(Double?.self, column: "rate")
        result = try row.decode(String?.self, column: "result")
        finishedAt = try row.decode(Date?.self, column: "finished_at")
    }
}

/// One item of a bulk action (`operator_audit_items`).
public struct AuditItem: Sendable, Encodable {
    public var position: Int
    public var deadLetter: Int64?
    public var job: UUID?
    public var result: String
    public var detail: String

    public init(position: Int, deadLetter: Int64?, job: UUID?, result: String, detail: String) {
        self.position = position
        self.deadLetter = deadLetter
        self.job = job
        self.result = result
        self.detail = detail
    }
}
