extension PostgresError {
    /// SQLSTATEs after which re-running the whole transaction can succeed.
    static let retryableTransactionStates: Set<String> = [
        "40001",  // serialization_failure
        "40P01",  // deadlock_detected
    ]

    /// `true` for serialization failures and deadlocks: roll back and run the whole
    /// transaction again. ``PostgresConnection/transaction(isolation:maxAttempts:_:)`` does so.
    public var isRetryableTransactionFailure: Bool {
        code == .server && sqlState.map(Self.retryableTransactionStates.contains) == true
    }

    /// `true` when a prepared statement of the session is gone (`26000`, after DISCARD or
    /// DEALLOCATE) or its cached plan no longer fits the table it reads (`0A000`, "cached
    /// plan must not change result type", after DDL): prepare it again.
    var invalidatesPreparedStatement: Bool {
        code == .server && (sqlState == "26000" || sqlState == "0A000")
    }

    /// `true` when the connection is unusable (never established, lost, closed, or the
    /// server reported a connection-class SQLSTATE); the caller should reconnect.
    public var isConnectionFailure: Bool {
        if code == .connectionFailed || code == .connectionLost || code == .connectionClosed { return true }
        guard let sqlState else { return false }
        // Class 08 is connection exceptions; 57P01–57P03 are shutdown/restart of the server.
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// `true` when trying again later may succeed: retryable transaction failures, lock
    /// timeouts (`55P03`), too many connections (`53300`) and connection failures. Job
    /// runtimes map this to their `transient` class; everything else is permanent.
    public var isRetriable: Bool {
        if isRetryableTransactionFailure || isConnectionFailure { return true }
        return sqlState == "55P03" || sqlState == "53300"
    }
}
