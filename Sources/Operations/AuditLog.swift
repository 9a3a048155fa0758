import Foundation
public import Postgres

/// The operator audit (`operator_audit`, migration 0007). Every mutating operator action —
/// from the console or from `itp-admin` — is recorded in the transaction of its effect: a
/// single action by ``record(_:action:selection:dryRun:result:counts:on:)`` inside it, a bulk
/// action by ``begin(_:action:selection:dryRun:total:rate:on:)`` and then
/// ``recordItem(_:_:on:)`` inside each item's own transaction.
public enum AuditLog {
    public struct Counts: Sendable, Equatable {
        public var succeeded = 0
        public var skipped = 0
        public var refused = 0

        public init(succeeded: Int = 0, skipped: Int = 0, refused: Int = 0) {
            self.succeeded = succeeded
            self.skipped = skipped
            self.refused = refused
        }
    }

    /// A finished single action, on the caller's (open) transaction.
    @discardableResult
    public static func record(
        _ actor: AuditActor, action: String, selection: String, dryRun: String? = nil, result: String, counts: Counts,
        on connection: PostgresConnection
    ) throws -> Int64 {
        try connection.query("""
            INSERT INTO operator_audit (actor, surface, action, selection, dry_run, state, total, succeeded, skipped, refused, result, finished_at)
            VALUES (\(actor.name), \(actor.surface.rawValue), \(action), \(selection)::jsonb, \(dryRun)::jsonb, 'done',
                    \(counts.succeeded + counts.skipped + counts.refused), \(counts.succeeded), \(counts.skipped), \(counts.refused),
                    \(result), now())
            RETURNING id
            """)[0].decode(Int64.self, column: "id")
    }

    /// A bulk action starts (`running`, nothing done yet).
    public static func begin(
        _ actor: AuditActor, action: String, selection: String, dryRun: String?, total: Int, rate: Double?, on connection: PostgresConnection
    ) throws -> Int64 {
        try connection.query("""
            INSERT INTO operator_audit (actor, surface, action, selection, dry_run, state, total, rate)
            VALUES (\(actor.name), \(actor.surface.rawValue), \(action), \(selection)::jsonb, \(dryRun)::jsonb, 'running', \(total), \(rate))
            RETURNING id
            """)[0].decode(Int64.self, column: "id")
    }

    /// One item of a bulk action, in the transaction of its effect (or alone for an item with none).
    public static func recordItem(_ auditID: Int64, _ item: AuditItem, on connection: PostgresConnection) throws {
        let column: SQL = switch item.result {
        case "replayed", "purged": "succeeded"
        case "skipped": "skipped"
        default: "refused"
        }
        try connection.execute("""
            INSERT INTO operator_audit_items (audit_id, position, dead_letter_id, job_id, result, detail)
            VALUES (\(auditID), \(item.position), \(item.deadLetter), \(item.job), \(item.result), \(item.detail))
            """)
        try connection.execute("UPDATE operator_audit SET \(column) = \(column) + 1 WHERE id = \(auditID)")
    }

    /// A bulk action ends.
    public static func finish(_ auditID: Int64, failed: Bool, result: String, on connection: PostgresConnection) throws {
        try connection.execute("""
            UPDATE operator_audit SET state = \(failed ? "failed" : "done"), result = \(result), finished_at = now()
            WHERE id = \(auditID) AND state = 'running'
            """)
    }

    /// The newest entries first (ids below `before`, when given).
    public static func list(limit: Int, before: Int64? = nil, on connection: PostgresConnection) throws -> [AuditEntry] {
        try connection.query("""
            SELECT \(AuditLog.entryColumns) FROM operator_audit
            WHERE (\(before)::bigint IS NULL OR id < \(before))
            ORDER BY id DESC LIMIT \(limit)
            """).map(AuditEntry.init(row:))
    }

    public static func entry(_ id: Int64, on connection: PostgresConnection) throws -> AuditEntry? {
        try connection.query("SELECT \(AuditLog.entryColumns) FROM operator_audit WHERE id = \(id)").first.map(AuditEntry.init(row:))
    }

    public static func items(_ auditID: Int64, limit: Int = 10_000, on connection: PostgresConnection) throws -> [AuditItem] {
        try connection.query("""
            SELECT position, dead_letter_id, job_id, result, detail FROM operator_audit_items
            WHERE audit_id = \(auditID) ORDER BY position LIMIT \(limit)
            """).map { row in
            AuditItem(
                position: try row.decode(Int.self, column: "position"), deadLetter: try row.decode(Int64?.self, column: "dead_letter_id"),
                job: try row.decode(UUID?.self, column: "job_id"), result: try row.decode(String.self, column: "result"),
                detail: try row.decode(String.self, column: "detail"))
        }
    }

    static var entryColumns: SQL { AuditEntry.columns }
}
