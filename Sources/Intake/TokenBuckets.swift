import Foundation
import Synchronization

/// In-memory token buckets keyed by API key id. Idle keys are forgotten once their
/// bucket is full again, so the table stays as small as the set of active keys.
final class TokenBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let limit: RateLimit
    private let clock = ContinuousClock()
    private let buckets = Mutex<[UUID: Bucket]>([:])

    init(limit: RateLimit) {
        self.limit = limit
    }

    /// Takes one token for `key`: nil when granted, else the whole seconds to wait.
    func take(_ key: UUID) -> Int? {
        let now = clock.now
        return buckets.withLock { buckets in
            if buckets.count > 10_000 { evictFull(&buckets, now: now) }
            var bucket = buckets[key] ?? Bucket(tokens: limit.burst, updated: now)
            bucket.tokens = min(limit.burst, bucket.tokens + seconds(now - bucket.updated) * limit.perSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / limit.perSecond).rounded(.up)))
        }
    }

    private func evictFull(_ buckets: inout [UUID: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + seconds(now - bucket.updated) * limit.perSecond < limit.burst
        }
    }

    private func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
