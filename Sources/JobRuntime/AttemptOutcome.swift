/// How one attempt ended: the values of `job_attempts.outcome` (its CHECK constraint in
/// `migrations/0001_initial.sql`). An attempt still open has none.
public enum AttemptOutcome: String, Sendable, Codable, CaseIterable {
    case succeeded
    /// Failed with an error (retried or dead-lettered).
    case failed
    /// The provider asked us to slow down; the attempt is given back.
    case rateLimited = "rate_limited"
    /// Its input went stale (a newer selection): nothing of it was activated.
    case superseded
    /// Cancelled by an operator while it ran.
    case cancelled
    /// A crash or a lost connection interrupted it before it recorded an outcome.
    case abandoned
}
