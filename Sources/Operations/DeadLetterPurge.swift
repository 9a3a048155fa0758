public import Postgres

/// Deleting dead-letter records (the jobs keep their state, attempts and errors), with the
/// audit row written in the same transaction as the delete.
public enum DeadLetterPurge {
    public enum Scope: Sendable {
        case ids([Int64])
        case selection(DeadLetterSelection)

        var conditions: SQL {
            switch self {
            case .ids(let ids): "d.id = ANY(\(ids))"
            case .selection(let selection): selection.conditions
            }
        }

        var json: String {
            switch self {
            case .ids(let ids): "{\"ids\":[\(ids.map(String.init).joined(separator: ","))]}"
            case .selection(let selection): selection.json
            }
        }
    }

    public static func count(_ scope: Scope, on connection: PostgresConnection) throws -> Int {
        try connection.query("""
            SELECT count(*) AS n FROM dead_letters d WHERE \(scope.conditions)
            """)[0].decode(Int.self, column: "n")
    }

    /// Deletes what `scope` matches now; `shown` is the count the operator confirmed.
    @discardableResult
    public static func run(_ scope: Scope, shown: Int, actor: AuditActor, on connection: PostgresConnection) throws -> (purged: Int, auditID: Int64) {
        try connection.transaction { connection in
            let purged = try connection.execute("""
                DELETE FROM dead_letters WHERE id IN (
                    SELECT d.id FROM dead_letters d WHERE \(scope.conditions))
                """)
            let id = try AuditLog.record(
                actor, action: "dlq.purge", selection: scope.json, dryRun: "{\"match\":\(shown)}",
                result: "purged \(purged) dead letter(s)", counts: AuditLog.Counts(succeeded: purged), on: connection)
            return (purged, id)
        }
    }
}
