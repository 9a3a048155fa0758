import Dispatch
import Logging

/// One pooled connection and the serial queue that owns it.
///
/// `@unchecked Sendable` because `connection` is only read or written on `queue`; that
/// confinement is what makes handing the object to other tasks safe.
final class ConnectionSlot: @unchecked Sendable {
    let queue: DispatchQueue
    private let conninfo: String
    private let logger: Logger
    private var connection: PostgresConnection?

    init(index: Int, conninfo: String, logger: Logger) {
        self.queue = DispatchQueue(label: "postgres.connection.\(index)")
        self.conninfo = conninfo
        self.logger = logger
    }

    /// Runs on `queue` only.
    func run<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        dispatchPrecondition(condition: .onQueue(queue))
        let connection = try liveConnection()
        do {
            let value = try body(connection)
            cleanUp(connection)
            return value
        } catch {
            cleanUp(connection)
            throw error
        }
    }

    /// Runs on `queue` only: `body` on the current connection, leaving any transaction open.
    /// Never reconnects — a reserved connection that broke must not be swapped for a fresh
    /// one in the middle of its caller's transaction.
    func runKeepingTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let connection, connection.isConnected else {
            throw PostgresError(code: .connectionLost, message: "the reserved connection was lost")
        }
        return try body(connection)
    }

    /// Runs on `queue` only: the end of a reservation.
    func resetAfterReservation() {
        dispatchPrecondition(condition: .onQueue(queue))
        if let connection { cleanUp(connection) }
    }

    /// Runs on `queue` only.
    func closeConnection() {
        dispatchPrecondition(condition: .onQueue(queue))
        connection?.close()
        connection = nil
    }

    private func liveConnection() throws -> PostgresConnection {
        // `probe()` notices a connection the server closed while it sat idle (restart,
        // terminated backend), so that the next caller gets a fresh one instead of an error.
        if let connection, connection.probe() { return connection }
        if connection != nil { logger.info("postgres connection was lost; reconnecting") }
        closeConnection()
        let fresh = try PostgresConnection.connect(conninfo, logger: logger)
        connection = fresh
        return fresh
    }

    /// Leaves the connection as the next caller expects it: alive and outside any transaction.
    private func cleanUp(_ connection: PostgresConnection) {
        guard connection.isConnected else {
            closeConnection()
            return
        }
        if connection.isInTransaction {
            logger.warning("a pooled connection was returned inside a transaction; rolling back")
            do {
                try connection.execute("ROLLBACK")
            } catch {
                closeConnection()
            }
        }
    }
}
