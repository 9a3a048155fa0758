/// One timed scenario: `processes` workers (or baseline consumers) started on a backlog of
/// `expected` items, timed from their spawn to the last item done.
struct Measurement: Sendable {
    enum Mode: String, Sendable {
        /// The full runtime; its relays publish the jobs inside the clock.
        case runtime
        /// The same, with the outbox published before the clock starts (as the baseline's
        /// messages are): the consume side alone.
        case runtimePrepublished = "runtime-pre"
        case baseline
    }

    var mode: Mode
    var processes: Int
    var round: Int
    var expected: Int
    /// Spawn → last item done, from the database's own timestamps (the success
    /// transaction of the last job; the baseline's last inbox insert).
    var seconds: Double = 0
    /// Spawn → first item started.
    var startupSeconds: Double?
    /// Runtime only: spawn → the last outbox row marked published by a relay.
    var relayDoneSeconds: Double?
    /// Runtime only: attempts beyond one per job (redeliveries).
    var extraAttempts: Int?
    var failure: String?

    init(mode: Mode, processes: Int, round: Int, expected: Int) {
        self.mode = mode
        self.processes = processes
        self.round = round
        self.expected = expected
    }

    var perSecond: Double? { failure == nil && seconds > 0 ? Double(expected) / seconds : nil }

    /// Excluding the processes' start-up (connect, declare, first delivery).
    var steadyPerSecond: Double? {
        guard failure == nil, let startupSeconds, seconds - startupSeconds > 0 else { return nil }
        return Double(expected) / (seconds - startupSeconds)
    }
}
