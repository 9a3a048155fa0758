import CLibPQ
import Foundation
import Logging
import Vocabulary

extension PostgresConnection {
    /// Runs `body` between `BEGIN` and `COMMIT`, rolling back if it throws.
    ///
    /// On a serialization failure (40001) or deadlock (40P01) — thrown by `body` or by
    /// `COMMIT` — the transaction is rolled back and the *whole* `body` runs again, after a
    /// short jittered pause, up to `maxAttempts` times in all. `body` must therefore have no
    /// effects outside the database (or only idempotent ones). Other errors are rethrown
    /// after the rollback. After a connection failure no rollback is attempted (the server
    /// discards the transaction itself) and nothing is retried: reconnect instead.
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 5,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        _ = try openHandle()
        guard !isInTransaction else {
            throw PostgresError(code: .invalidUsage, message: "a transaction is already open on this connection")
        }
        var attempt = 1
        while true {
            do {
                return try runTransactionOnce(isolation: isolation, body)
            } catch let error as PostgresError where error.isRetryableTransactionFailure && attempt < maxAttempts {
                logger.debug(
                    "retrying transaction",
                    metadata: [LogKey.dbSQLState: .string(error.sqlState ?? ""), LogKey.dbAttempt: .stringConvertible(attempt)])
                Self.pauseBeforeRetry(attempt: attempt)
                attempt += 1
            }
        }
    }

    private func runTransactionOnce<T>(isolation: IsolationLevel, _ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN ISOLATION LEVEL \(unescaped: isolation.sql)")
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackAfterFailure()
            throw error
        }
        if transactionStatus == PQTRANS_INERROR {
            // `body` swallowed a failed statement. COMMIT would answer "ROLLBACK" without an
            // error; say plainly that nothing was committed.
            rollbackAfterFailure()
            throw PostgresError(
                code: .transactionAborted,
                message: "a statement in the transaction failed and its error was not propagated")
        }
        guard transactionStatus == PQTRANS_INTRANS else {
            throw PostgresError(code: .invalidUsage, message: "the transaction body ended the transaction itself")
        }
        let commit: PostgresRows
        do {
            commit = try query("COMMIT")
        } catch {
            // A failed COMMIT normally ends the transaction; make sure it did.
            rollbackAfterFailure()
            throw error
        }
        guard commit.commandTag == "COMMIT" else {
            throw PostgresError(code: .transactionAborted, message: "COMMIT answered \(commit.commandTag)")
        }
        return value
    }

    /// One `ROLLBACK` if the connection is alive and a transaction is open. If even that
    /// fails, the connection is closed so it is never reused with a transaction open.
    private func rollbackAfterFailure() {
        guard isConnected, isInTransaction else { return }
        do {
            try execute("ROLLBACK")
        } catch {
            logger.warning(
                "rollback failed; closing the connection",
                metadata: [LogKey.dbSQLState: .string((error as? PostgresError)?.sqlState ?? "")])
            close()
        }
    }

    /// Full jitter over 5 ms, 10 ms, 20 ms… capped at 250 ms: enough to let the conflicting
    /// transaction finish without stalling the caller. Blocking is fine here: connections
    /// run on their own thread, never on the cooperative pool.
    private static func pauseBeforeRetry(attempt: Int) {
        let capMilliseconds = min(250, 5 << min(attempt - 1, 10))
        Thread.sleep(forTimeInterval: Double(Int.random(in: 1...capMilliseconds)) / 1000)
    }
}
