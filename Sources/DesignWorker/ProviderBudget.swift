import Crypto
import Foundation
public import Postgres

/// The fleet-wide budget of one image-provider account (`provider_budgets`, migration
/// 0009), shared through Postgres by every design worker on every machine: after a 429 no
/// worker starts a call until its Retry-After has passed, and calls are spaced so that the
/// fleet never exceeds `callsPerMinute` (no burst: one call every 60/limit seconds). All
/// times are the database's clock.
public struct ProviderBudget: Sendable {
    public enum Decision: Sendable, Equatable {
        /// A slot is reserved for this caller: start the call after this wait (zero: now).
        case reserved(after: Duration)
        /// The next free slot is further away than the caller will wait; nothing reserved.
        case busy(for: Duration)
    }

    /// The provider's name and the first 16 hex digits of sha256(API key): one budget per
    /// account, and the key itself never leaves the process.
    public let key: String
    /// The spacing between two calls of the fleet (zero: no rate of our own; only the
    /// provider's 429 pauses apply).
    public let interval: Duration
    let database: PostgresClient

    /// - Parameter callsPerMinute: the fleet's limit, nil for none. Calls are spaced 1 %
    ///   wider than it allows, so that arrival jitter (a call granted here reaches the
    ///   provider some milliseconds later, by an amount that varies) never puts one call too
    ///   many into the provider's own 60-second window: the slack over a window is 0.6 s.
    ///   Exact spacing measured 4 429s per 100 calls in the soak at 20 calls a minute.
    public init(provider: String, apiKey: String, callsPerMinute: Int?, database: PostgresClient) {
        precondition(callsPerMinute.map { $0 > 0 } ?? true, "a rate limit allows at least one call a minute")
        self.init(provider: provider, apiKey: apiKey, interval: callsPerMinute.map { .milliseconds(60_600) / $0 } ?? .zero, database: database)
    }

    /// Calls at least `interval` apart (tests use spacings no test run can outlast).
    public init(provider: String, apiKey: String, interval: Duration, database: PostgresClient) {
        let digest = SHA256.hash(data: Array(apiKey.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        self.key = "\(provider):\(digest)"
        self.interval = interval
        self.database = database
    }

    /// Reserves the next free slot if it starts within `maxWait`: callers queue in the order
    /// they ask, so none loses the race for a slot again and again. A pause recorded after a
    /// slot was reserved is checked with ``pausedFor()`` before the call.
    public func reserve(within maxWait: Duration) async throws -> Decision {
        let key = self.key, interval = Self.seconds(self.interval), limit = Self.seconds(maxWait)
        return try await database.withTransaction { connection in
            try connection.execute("INSERT INTO provider_budgets (budget_key) VALUES (\(key)) ON CONFLICT (budget_key) DO NOTHING")
            let row = try connection.query("""
                SELECT (EXTRACT(EPOCH FROM GREATEST(next_call_at, paused_until, now()) - now()) * 1000)::bigint AS wait_ms
                FROM provider_budgets WHERE budget_key = \(key) FOR UPDATE
                """)[0]
            let wait = Duration.milliseconds(try row.decode(Int.self, column: "wait_ms"))
            guard Self.seconds(wait) <= limit else { return .busy(for: wait) }
            try connection.execute("""
                UPDATE provider_budgets
                SET next_call_at = GREATEST(next_call_at, paused_until, now()) + make_interval(secs => \(interval)::float8)
                WHERE budget_key = \(key)
                """)
            return .reserved(after: wait)
        }
    }

    /// How much of a pause is left now (zero: none).
    public func pausedFor() async throws -> Duration {
        let key = self.key
        let milliseconds = try await database.withConnection { connection in
            try connection.query("""
                SELECT COALESCE((SELECT (EXTRACT(EPOCH FROM GREATEST(paused_until, now()) - now()) * 1000)::bigint
                                 FROM provider_budgets WHERE budget_key = \(key)), 0) AS pause_ms
                """)[0].decode(Int.self, column: "pause_ms")
        }
        return .milliseconds(milliseconds)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration / .milliseconds(1)) / 1000
    }

    /// A 429: no worker of the fleet starts a call for `duration` (a longer pause already
    /// recorded stays).
    public func pause(for duration: Duration) async throws {
        let key = self.key, seconds = Self.seconds(duration)
        try await database.withTransaction { connection in
            try connection.execute("""
                INSERT INTO provider_budgets (budget_key, paused_until, last_pause_at, pauses)
                VALUES (\(key), now() + make_interval(secs => \(seconds)::float8), now(), 1)
                ON CONFLICT (budget_key) DO UPDATE SET
                    paused_until = GREATEST(provider_budgets.paused_until, EXCLUDED.paused_until),
                    last_pause_at = now(), pauses = provider_budgets.pauses + 1
                """)
        }
    }
}
