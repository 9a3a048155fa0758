/// How a failed attempt is handled (DESIGN.md §3). Same values as the `error_class`
/// Postgres enum.
public enum ErrorClass: String, Sendable, Codable, CaseIterable {
    /// The provider asked us to slow down: wait (honouring Retry-After) without burning an attempt.
    case rateLimited = "rate_limited"
    /// Worth retrying with backoff, up to the kind's attempt limit.
    case transient
    /// Retrying cannot help: dead-letter at once.
    case permanent
}
