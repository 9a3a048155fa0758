import Synchronization

/// A wake-up that may arrive before anyone waits (it is remembered) and a wait with a
/// timeout; ``close()`` ends it (waits return at once from then on). Used by the outbox
/// relay (woken by NOTIFY) and the intake's server-sent-event streams.
///
/// Unlike iterating an AsyncStream from a cancelled child task — which finishes the stream
/// for good and turns every later wait into a busy loop — waiting here consumes nothing but
/// the pending wake-up.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var closed = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Wakes the current waiter, or the next one if nobody waits.
    public func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    public func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns on a wake-up, on close, or after `timeout`. One waiter at a time.
    public func wait(timeout: Duration) async {
        let generation = state.withLock { state -> UInt64? in
            if state.pending || state.closed {
                state.pending = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending || state.closed || state.generation != generation {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow {
                continuation.resume()
                return
            }
            // The timer is the only unstructured task: it holds nothing but this object.
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.generation == generation, let waiter = state.waiter else { return nil }
                    state.waiter = nil
                    return waiter
                }
                waiter?.resume()
            }
        }
    }
}
