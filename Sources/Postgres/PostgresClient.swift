import Dispatch
public import Logging
import Synchronization

/// The `Sendable` way to use Postgres from async code: a fixed set of connections, each
/// confined to its own serial dispatch queue, so blocking libpq calls never run on the
/// Swift cooperative pool and no connection is ever used by two threads at once.
///
/// Connections are opened lazily on first use and reopened on the next use after they
/// broke; a failed connect is thrown to that caller. A body that leaves a transaction
/// open gets it rolled back before the connection is reused.
public final class PostgresClient: Sendable {
    private let slots: [ConnectionSlot]
    private let pool: Mutex<SlotPool>
    private let logger: Logger

    /// - Parameters:
    ///   - conninfo: a libpq connection string or URL (`PG*` variables fill in the rest).
    ///   - maxConnections: how many connections (and queues) at most; at least 1.
    public init(conninfo: String, maxConnections: Int = 4, logger: Logger) {
        precondition(maxConnections >= 1, "maxConnections must be at least 1")
        self.slots = (0..<maxConnections).map { ConnectionSlot(index: $0, conninfo: conninfo, logger: logger) }
        self.pool = Mutex(SlotPool(free: Array(slots.indices)))
        self.logger = logger
    }

    /// Runs `body` with a connection, on that connection's own queue, waiting for a free
    /// connection if all are busy. Connection errors are thrown to the caller; the broken
    /// connection is replaced on its next use.
    @discardableResult
    public func withConnection<T: Sendable>(
        _ body: @Sendable @escaping (PostgresConnection) throws -> T
    ) async throws -> T {
        let index = try await acquire()
        defer { release(index) }
        let slot = slots[index]
        return try await withCheckedThrowingContinuation { continuation in
            slot.queue.async {
                continuation.resume(with: Result { try slot.run(body) })
            }
        }
    }

    /// ``PostgresConnection/transaction(isolation:maxAttempts:_:)`` on a pooled connection.
    @discardableResult
    public func withTransaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 5,
        _ body: @Sendable @escaping (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try connection.transaction(isolation: isolation, maxAttempts: maxAttempts, body)
        }
    }

    /// Holds one pooled connection for the whole of `body`, across suspension points: for a
    /// transaction that stays open while the caller awaits something else (the outbox relay
    /// keeps its rows locked while the broker confirms them). Each
    /// ``ReservedConnection/run(_:)`` executes on that connection's queue; when `body`
    /// returns or throws, a transaction left open is rolled back and the connection goes
    /// back to the pool. A connection that breaks meanwhile is never silently replaced:
    /// later `run`s throw ``PostgresError/Code/connectionLost``.
    public func withReservedConnection<T: Sendable>(
        _ body: (ReservedConnection) async throws -> T
    ) async throws -> T {
        let index = try await acquire()
        defer { release(index) }
        let slot = slots[index]
        // Connect (or reconnect) before the first statement, as `withConnection` would.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            slot.queue.async { continuation.resume(with: Result { try slot.run { _ in } }) }
        }
        let reserved = ReservedConnection(slot: slot)
        do {
            let value = try await body(reserved)
            await reserved.finish()
            return value
        } catch {
            await reserved.finish()
            throw error
        }
    }

    /// Stops handing out connections (waiting and later callers get
    /// ``PostgresError/Code/clientShutdown``), lets running bodies finish, then closes
    /// every connection.
    public func shutdown() async {
        let waiters = pool.withLock { $0.shutDown() }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(code: .clientShutdown))
        }
        for slot in slots {
            // The queue is serial: this runs after any body already submitted to it.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                slot.queue.async {
                    slot.closeConnection()
                    continuation.resume()
                }
            }
        }
        logger.debug("postgres client shut down")
    }

    private func acquire() async throws -> Int {
        let id = pool.withLock { $0.nextWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                let immediate: Result<Int, any Error>? = pool.withLock { pool in
                    if pool.isShutDown { return .failure(PostgresError(code: .clientShutdown)) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let index = pool.free.popLast() { return .success(index) }
                    pool.waiters.append(SlotPool.Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = pool.withLock { pool -> SlotPool.Waiter? in
                guard let position = pool.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return pool.waiters.remove(at: position)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func release(_ index: Int) {
        let waiter = pool.withLock { pool -> SlotPool.Waiter? in
            guard !pool.waiters.isEmpty else {
                pool.free.append(index)
                return nil
            }
            return pool.waiters.removeFirst()
        }
        // Hand the slot straight to the longest waiter (FIFO), outside the lock.
        waiter?.continuation.resume(returning: index)
    }
}

/// A pooled connection reserved by ``PostgresClient/withReservedConnection(_:)``.
public struct ReservedConnection: Sendable {
    fileprivate let slot: ConnectionSlot

    /// Runs `body` on the reserved connection's queue. Unlike
    /// ``PostgresClient/withConnection(_:)`` an open transaction stays open between calls.
    @discardableResult
    public func run<T: Sendable>(_ body: @Sendable @escaping (PostgresConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            slot.queue.async {
                continuation.resume(with: Result { try slot.runKeepingTransaction(body) })
            }
        }
    }

    fileprivate func finish() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            slot.queue.async {
                slot.resetAfterReservation()
                continuation.resume()
            }
        }
    }
}
