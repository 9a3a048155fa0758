/// When and whether a failed attempt is retried (DESIGN.md §3): exponential backoff with
/// jitter up to a per-kind attempt limit for `transient`; the provider's Retry-After for
/// `rate_limited` without burning an attempt; never for `permanent`.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    /// Longest a rate-limited job keeps waiting in total before it is treated as failed.
    public var maxRateLimitedWaits: Int

    public init(maxAttempts: Int = 5, initialDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(600), maxRateLimitedWaits: Int = 20) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxRateLimitedWaits = maxRateLimitedWaits
    }

    public enum Decision: Sendable, Equatable {
        /// Retry after `delay`; `countsAttempt` is false for rate-limited waits.
        case retry(after: Duration, countsAttempt: Bool)
        /// Give up: dead-letter with this reason.
        case deadLetter(reason: String)
    }

    /// - Parameters:
    ///   - attempts: attempts failed so far, including the one that just failed (not those a
    ///     crash or a lost connection abandoned: ``ClaimedJob/failedAttempts``).
    ///   - rateLimitedWaits: rate-limited waits so far, including this one.
    ///   - retryAfter: the provider's Retry-After, when it sent one.
    ///   - random: a value in 0..<1 for the jitter (injected so tests are deterministic).
    public func decide(
        _ errorClass: ErrorClass, attempts: Int, rateLimitedWaits: Int = 0, retryAfter: Duration? = nil, random: Double
    ) -> Decision {
        switch errorClass {
        case .permanent:
            return .deadLetter(reason: "permanent error")
        case .rateLimited:
            guard rateLimitedWaits <= maxRateLimitedWaits else {
                return .deadLetter(reason: "still rate limited after \(maxRateLimitedWaits) waits")
            }
            let wait = retryAfter ?? backoff(attempt: rateLimitedWaits, random: random)
            // A little jitter on top of Retry-After so a fleet does not return in lockstep.
            return .retry(after: min(wait + initialDelay * (random * 0.25), maxDelay * 6), countsAttempt: false)
        case .transient:
            guard attempts < maxAttempts else {
                return .deadLetter(reason: "transient errors exhausted \(maxAttempts) attempts")
            }
            return .retry(after: backoff(attempt: attempts, random: random), countsAttempt: true)
        }
    }

    /// "Equal jitter": half the exponential delay fixed, half random, capped at `maxDelay`.
    public func backoff(attempt: Int, random: Double) -> Duration {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let full = min(initialDelay * Double(1 << Int(exponent)), maxDelay)
        return full * 0.5 + full * (0.5 * min(max(random, 0), 1))
    }
}
