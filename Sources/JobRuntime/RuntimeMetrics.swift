import Metrics

/// The job runtime's metrics, under the stable names of the fleet's metric table
/// (ProcessRuntime's `MetricNames`). Labels: queue, kind, outcome — never an id.
enum RuntimeMetrics {
    static func attemptFinished(queue: String, kind: String, outcome: JobState, duration: Duration) {
        Counter(label: "itp_jobs_total", dimensions: [("queue", queue), ("kind", kind), ("outcome", outcome.rawValue)]).increment()
        Timer(label: "itp_job_duration_seconds", dimensions: [("queue", queue), ("kind", kind)])
            .recordNanoseconds(Int64(duration / .nanoseconds(1)))
    }

    static func inFlight(queue: String, _ count: Int) {
        Gauge(label: "itp_jobs_in_flight", dimensions: [("queue", queue)]).record(count)
    }

    static func outboxPublished(_ count: Int) {
        Counter(label: "itp_outbox_published_total").increment(by: count)
    }
}
