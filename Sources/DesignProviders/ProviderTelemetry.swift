/// Log metadata keys and metric names of provider calls, defined once (STYLE.md points
/// 12 and the swift-log practice of dot-namespaced keys). The metric names and labels
/// match the fleet's table in ProcessRuntime's `MetricNames`.
public enum ProviderTelemetry {
    /// Counter `itp_provider_calls_total{provider, outcome, error_class}`.
    public static let callsMetric = "itp_provider_calls_total"
    /// Timer `itp_provider_call_duration_seconds{provider}`.
    public static let durationMetric = "itp_provider_call_duration_seconds"

    /// `outcome` label values.
    public static let outcomeOK = "ok"
    public static let outcomeError = "error"
    /// `error_class` label on success; failures carry a ``ProviderError/Class`` raw value.
    public static let noErrorClass = "none"

    /// Log metadata keys.
    public enum MetadataKey {
        public static let provider = "itp.provider.name"
        public static let model = "itp.provider.model"
        public static let durationMilliseconds = "itp.provider.duration_ms"
        public static let outcome = "itp.provider.outcome"
        public static let costUnits = "itp.provider.cost_units"
        public static let candidate = "itp.provider.candidate"
        /// Shared with the job runtime's failure logs.
        public static let errorClass = "itp.error.class"
        public static let errorMessage = "itp.error.message"
        public static let retryAfterSeconds = "itp.error.retry_after_s"
    }
}
