/// A classified provider failure: 429 → rate_limited with Retry-After; 5xx, resets and
/// timeouts → transient; other 4xx and unusable responses → permanent, carrying the
/// provider's own message. The class is the provider's own vocabulary; the design worker
/// maps it to the job runtime's failure in one place (`JobFailure(_: ProviderError)`).
public struct ProviderError: Error, Sendable, CustomStringConvertible {
    /// How a failed call is best handled; the raw values are those of the `error_class`
    /// Postgres enum and the `error_class` metric label.
    public enum Class: String, Sendable, CaseIterable {
        /// The provider asked us to slow down: wait (honouring ``ProviderError/retryAfter``).
        case rateLimited = "rate_limited"
        /// Worth calling again later.
        case transient
        /// Calling again cannot help.
        case permanent
    }

    public var errorClass: Class
    public var message: String
    /// The provider's delay (Retry-After header or body), for ``Class/rateLimited``.
    public var retryAfter: Duration?

    public init(_ errorClass: Class, _ message: String, retryAfter: Duration? = nil) {
        self.errorClass = errorClass
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "provider \(errorClass.rawValue): \(message)" }
}
