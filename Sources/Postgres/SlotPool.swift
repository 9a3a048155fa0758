/// Bookkeeping of ``PostgresClient``: which connection slots are free and who waits.
/// Only ever touched under the client's mutex.
struct SlotPool: ~Copyable {
    struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Int, any Error>
    }

    var free: [Int]
    var waiters: [Waiter] = []
    private(set) var isShutDown = false
    private var lastWaiterID = 0

    init(free: [Int]) { self.free = free }

    mutating func nextWaiterID() -> Int {
        lastWaiterID += 1
        return lastWaiterID
    }

    /// Marks the pool shut down and returns the waiters, to be failed outside the lock.
    mutating func shutDown() -> [Waiter] {
        isShutDown = true
        defer { waiters = [] }
        return waiters
    }
}
