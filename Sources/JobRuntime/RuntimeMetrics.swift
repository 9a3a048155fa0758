import Metrics
import Synchronization
import Vocabulary

/// The job runtime's metrics, under the stable names of the fleet's metric table
/// (`MetricName` in Vocabulary). Labels: queue, kind, outcome — never an id.
///
/// Metric handles are made once per label set and kept: making one goes through the
/// metrics factory's registry (label hashing, a lock) and this runs several times per job.
enum RuntimeMetrics {
    private struct JobLabels: Hashable {
        var queue: String
        var kind: String
        var outcome: String?
    }

    private struct Handles {
        var jobs: [JobLabels: Counter] = [:]
        var durations: [JobLabels: Timer] = [:]
        var inFlight: [String: Gauge] = [:]
    }

    private static let handles = Mutex(Handles())
    private static let outboxPublishedCounter = Counter(label: MetricName.outboxPublished)
    private static let outboxBacklogGauge = Gauge(label: MetricName.outboxBacklog)

    static func attemptFinished(queue: String, kind: String, outcome: JobState, duration: Duration) {
        let (counter, timer) = handles.withLock { handles in
            let counterKey = JobLabels(queue: queue, kind: kind, outcome: outcome.rawValue)
            let counter = handles.jobs[counterKey] ?? Counter(
                label: MetricName.jobs, dimensions: [("queue", queue), ("kind", kind), ("outcome", outcome.rawValue)])
            handles.jobs[counterKey] = counter
            let timerKey = JobLabels(queue: queue, kind: kind)
            let timer = handles.durations[timerKey] ?? Timer(label: MetricName.jobDuration, dimensions: [("queue", queue), ("kind", kind)])
            handles.durations[timerKey] = timer
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(Int64(duration / .nanoseconds(1)))
    }

    static func inFlight(queue: String, _ count: Int) {
        let gauge = handles.withLock { handles in
            let gauge = handles.inFlight[queue] ?? Gauge(label: MetricName.jobsInFlight, dimensions: [("queue", queue)])
            handles.inFlight[queue] = gauge
            return gauge
        }
        gauge.record(count)
    }

    static func outboxPublished(_ count: Int) {
        outboxPublishedCounter.increment(by: count)
    }

    /// Outbox rows due and not yet published, as the relay's last batch saw them (0 after an
    /// empty batch).
    static func outboxBacklog(_ count: Int) {
        outboxBacklogGauge.record(count)
    }
}
