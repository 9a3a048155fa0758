/// Jittered exponential reconnect delays: initial × 2ⁿ capped at max, each scaled by a
/// random factor in 50–100 % so a fleet does not reconnect in lockstep.
struct Backoff {
    var initial: Duration
    var maximum: Duration
    private(set) var attempt = 0

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    mutating func next() -> Duration {
        defer { attempt += 1 }
        let exponent = min(attempt, 30)
        let ceiling = min(maximum, initial * (1 << exponent))
        return ceiling * Double.random(in: 0.5...1.0)
    }

    mutating func reset() { attempt = 0 }
}
