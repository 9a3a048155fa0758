/// Transaction isolation levels for ``PostgresConnection/transaction(isolation:maxAttempts:_:)``.
public enum IsolationLevel: Sendable, Hashable {
    case readCommitted
    case repeatableRead
    /// Serializable: expect and retry SQLSTATE 40001, which `transaction` does.
    case serializable

    var sql: String {
        switch self {
        case .readCommitted: "READ COMMITTED"
        case .repeatableRead: "REPEATABLE READ"
        case .serializable: "SERIALIZABLE"
        }
    }
}
