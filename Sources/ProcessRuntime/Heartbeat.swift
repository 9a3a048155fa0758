import Synchronization

/// The "last iteration" timestamp of a loop, for a liveness check.
///
/// The loop calls ``beat()`` at the top of every iteration (including idle ones that only
/// waited for input with a timeout); the watchdog asks ``isFresh(within:)``. A loop stuck in
/// a call that never returns stops beating, so systemd's watchdog restarts the process.
public final class Heartbeat: Sendable {
    private let last: Mutex<ContinuousClock.Instant?>

    /// A heartbeat that has not beaten yet: it is not fresh until the loop first runs.
    public init() {
        last = Mutex(nil)
    }

    /// Records that the loop is alive now.
    public func beat() {
        let now = ContinuousClock.now
        last.withLock { $0 = now }
    }

    /// When the loop last beat, or nil before its first iteration.
    public var lastBeat: ContinuousClock.Instant? { last.withLock { $0 } }

    /// Whether the loop beat within `maxAge` of now.
    public func isFresh(within maxAge: Duration) -> Bool {
        guard let lastBeat else { return false }
        return ContinuousClock.now - lastBeat <= maxAge
    }
}
