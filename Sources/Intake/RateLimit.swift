/// The per-API-key token bucket: `burst` requests at once, refilled at `perSecond`.
/// Each intake instance keeps its own buckets (a fleet of N instances admits up to N×
/// the rate); that bounds abuse without a shared store on the request path.
public struct RateLimit: Sendable, Equatable {
    public var burst: Double
    public var perSecond: Double

    /// - Parameters:
    ///   - burst: bucket size, at least 1 (default 60).
    ///   - perSecond: refill rate, greater than 0 (default 10).
    public init(burst: Double = 60, perSecond: Double = 10) {
        precondition(burst >= 1 && perSecond > 0, "a rate limit needs burst >= 1 and perSecond > 0")
        self.burst = burst
        self.perSecond = perSecond
    }
}
