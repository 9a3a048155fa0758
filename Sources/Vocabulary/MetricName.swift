/// The stable metric names of the fleet: dashboards and alerts depend on them, so a name
/// or label set changes only with a release note (STYLE.md point 12).
///
/// Labels have bounded cardinality only: queue, kind, outcome, provider, error class;
/// never a job, product or asset id. One name always has the same label names (Prometheus
/// and swift-prometheus reject a name registered with a different label set).
///
/// | name | type | labels | meaning |
/// |---|---|---|---|
/// | `itp_jobs_total` | counter | `queue`, `kind`, `outcome` | attempts finished; outcome is the job state the attempt ended in (`JobState`): `succeeded`, `retrying`, `dead`, `cancelled`, `superseded` |
/// | `itp_job_duration_seconds` | histogram (Timer) | `queue`, `kind` | time from delivery to ack |
/// | `itp_jobs_in_flight` | gauge | `queue` | deliveries taken and not yet acked (≤ prefetch) |
/// | `itp_outbox_published_total` | counter | — | outbox rows published with a confirm and marked sent |
/// | `itp_outbox_backlog` | gauge | — | outbox rows due and not yet published, as the relay's last batch saw them (up to 10000) |
/// | `itp_amqp_connected` | gauge | — | 1 while the broker connection is up, else 0 |
/// | `itp_db_connected` | gauge | — | 1 while the database connection is up, else 0 |
/// | `itp_provider_calls_total` | counter | `provider`, `outcome`, `error_class` | image provider calls; outcome ∈ `ok`, `error`; error_class is `none` or an `ErrorClass` (`rate_limited`, `transient`, `permanent`) |
/// | `itp_provider_call_duration_seconds` | histogram (Timer) | `provider` | provider call latency |
/// | `itp_image_work_cpu_seconds_total` | counter | `work` | thread CPU spent in image work |
/// | `itp_http_requests_total` | counter | `route`, `method`, `status` | intake: requests answered |
/// | `itp_http_request_duration_seconds` | histogram | `route`, `method` | intake: arrival to response head |
/// | `itp_http_cache_lookups_total` | counter | `cache`, `result` | intake: in-memory lookups; cache ∈ `gallery`, `api_key`; result ∈ `hit`, `miss` |
///
/// Every name carries a `# HELP` line on `/metrics` (ProcessRuntime's `MetricHelp`), and the
/// README's Metrics table lists exactly ``all`` (`SourceVocabularyTests`).
///
/// Use the constants with swift-metrics, e.g.
/// `Counter(label: MetricName.jobs, dimensions: [("queue", queue), ("kind", kind), ("outcome", "succeeded")])`.
public enum MetricName {
    public static let jobs = "itp_jobs_total"
    public static let jobDuration = "itp_job_duration_seconds"
    public static let jobsInFlight = "itp_jobs_in_flight"
    public static let outboxPublished = "itp_outbox_published_total"
    public static let outboxBacklog = "itp_outbox_backlog"
    public static let amqpConnected = "itp_amqp_connected"
    public static let databaseConnected = "itp_db_connected"
    public static let providerCalls = "itp_provider_calls_total"
    public static let providerCallDuration = "itp_provider_call_duration_seconds"
    public static let imageWorkCPU = "itp_image_work_cpu_seconds_total"
    public static let httpRequests = "itp_http_requests_total"
    public static let httpRequestDuration = "itp_http_request_duration_seconds"
    public static let httpCacheLookups = "itp_http_cache_lookups_total"

    /// Every name above.
    public static let all = [
        jobs, jobDuration, jobsInFlight, outboxPublished, outboxBacklog, amqpConnected, databaseConnected,
        providerCalls, providerCallDuration, imageWorkCPU, httpRequests, httpRequestDuration, httpCacheLookups,
    ]
}
