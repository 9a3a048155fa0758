import Metrics
import Vocabulary
public import Prometheus

/// Bootstraps swift-metrics with Prometheus, for `/metrics`. Only `@main` calls it, once.
public enum MetricsSetup {
    /// Installs a `PrometheusMetricsFactory` as the process's metrics backend and returns
    /// its registry, which the ``ObservabilityServer`` serves.
    ///
    /// Durations (swift-metrics `Timer`) get buckets suited to jobs that take seconds
    /// (`itp_job_duration_seconds`) or provider calls, instead of the web-request defaults.
    ///
    /// - Important: `MetricsSystem.bootstrap` may run only once per process.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(makeFactory(registry: registry))
        return registry
    }

    /// The factory ``bootstrap()`` installs, for tests that must not touch the global system.
    public static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MetricName.jobDuration] = jobDurationBuckets
        factory.durationHistogramBuckets[MetricName.providerCallDuration] = jobDurationBuckets
        return factory
    }

    /// 50 ms to 10 minutes: image generation takes seconds to minutes.
    static let jobDurationBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60), .seconds(120), .seconds(300), .seconds(600),
    ]
}
