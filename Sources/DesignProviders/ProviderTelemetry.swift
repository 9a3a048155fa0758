import Vocabulary
/// Log metadata keys and metric names of provider calls, defined once (STYLE.md points
/// 12 and the swift-log practice of dot-namespaced keys). The metric names and labels
/// match the fleet's table in ProcessRuntime's `MetricName`.
public enum ProviderTelemetry {
    /// Counter `itp_provider_calls_total{provider, outcome, error_class}`.
    public static let callsMetric = MetricName.providerCalls
    /// Timer `itp_provider_call_duration_seconds{provider}`.
    public static let durationMetric = MetricName.providerCallDuration

    /// `outcome` label values.
    public static let outcomeOK = "ok"
    public static let outcomeError = "error"
    /// `error_class` label on success; failures carry a ``ProviderError/Class`` raw value.
    public static let noErrorClass = "none"

    /// Log metadata keys.
    public enum MetadataKey {
        public static let provider = LogKey.providerName
        public static let model = LogKey.providerModel
        public static let durationMilliseconds = LogKey.providerDurationMilliseconds
        public static let outcome = LogKey.providerOutcome
        public static let costUnits = LogKey.providerCostUnits
        public static let candidate = LogKey.providerCandidate
        /// Shared with the job runtime's failure logs.
        public static let errorClass = LogKey.errorClass
        public static let errorMessage = LogKey.errorMessage
        public static let retryAfterSeconds = LogKey.errorRetryAfterSeconds
    }
}
