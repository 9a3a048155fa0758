/// Jittered exponential reconnect delays: initial × 2ⁿ capped at max, each scaled by a
/// random factor in 50–100 % so a fleet does not reconnect in lockstep.
struct Backoff {
    var initial: Duration
    var maximum: Duration
    private(set) var attempt = 0
    /// The factor in 0.5...1.0 applied to each delay (fixed in tests).
    private let jitter: @Sendable () -> Double

    init(initial: Duration, maximum: Duration, jitter: @escaping @Sendable () -> Double = { .random(in: 0.5...1.0) }) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    mutating func next() -> Duration {
        defer { attempt += 1 }
        let exponent = min(attempt, 30)
        let ceiling = min(maximum, initial * (1 << exponent))
        return ceiling * jitter()
    }

    mutating func reset() { attempt = 0 }
}
