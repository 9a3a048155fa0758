import Synchronization

/// Values read from Postgres, kept in memory only while a LISTEN connection tells the
/// process about every change to them (``ProductEventHub`` feeds it), and never longer
/// than `maxAge` (a bound on staleness should notifications lag or a connection hang).
///
/// A read that raced a change cannot be stored stale: ``ticket()`` is taken before the
/// database read and ``store(_:for:ticket:)`` refuses the value if any invalidation (or a
/// loss of the LISTEN connection) came in between. A change committed after the read is
/// notified after it, so it removes the stored value. While the connection is down the
/// cache neither answers nor stores.
final class NotifiedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var storedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Bumped by every invalidation, so an older ticket no longer stores.
        var generation: UInt64 = 0
        var listening = false
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let maxAge: Duration

    init(capacity: Int, maxAge: Duration) {
        precondition(capacity > 0, "a cache holds at least one value")
        self.capacity = capacity
        self.maxAge = maxAge
    }

    /// The value stored for `key`, if the cache may be trusted and it is younger than `maxAge`.
    func value(for key: Key, now: ContinuousClock.Instant = .now) -> Value? {
        state.withLock { state in
            guard state.listening, let entry = state.entries[key] else { return nil }
            guard now - entry.storedAt < maxAge else {
                state.entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Take before reading the database; `nil` while nothing may be stored.
    func ticket() -> UInt64? {
        state.withLock { $0.listening ? $0.generation : nil }
    }

    /// Keeps `value` unless something was invalidated since `ticket` was taken.
    func store(_ value: Value, for key: Key, ticket: UInt64?, now: ContinuousClock.Instant = .now) {
        guard let ticket else { return }
        state.withLock { state in
            guard state.listening, state.generation == ticket else { return }
            if state.entries.count >= capacity, state.entries[key] == nil {
                // Bounded memory: drop what expired, and if that frees nothing, everything.
                state.entries = state.entries.filter { now - $0.value.storedAt < maxAge }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[key] = Entry(value: value, storedAt: now)
        }
    }

    /// The database says these keys changed.
    func invalidate(_ keys: some Sequence<Key>) {
        state.withLock { state in
            state.generation &+= 1
            for key in keys { state.entries[key] = nil }
        }
    }

    /// The LISTEN connection came up (trust nothing from before it) or went down (trust nothing at all).
    func listening(_ connected: Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
            state.listening = connected
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
