public import Prometheus
import Synchronization
import Vocabulary

/// The intake's HTTP metrics, registered with `# HELP` text in the registry that
/// `/metrics` serves (README "Metrics"):
///
/// | name | type | labels |
/// |---|---|---|
/// | `itp_http_requests_total` | counter | `route`, `method`, `status` |
/// | `itp_http_request_duration_seconds` | histogram | `route`, `method` |
/// | `itp_http_cache_lookups_total` | counter | `cache`, `result` |
///
/// `route` is the OpenAPI path template (`/v1/products/{id}`), `unmatched` for a path no
/// route has; `method` is one of the standard methods or `other`; never an id, so the
/// label sets stay bounded. The duration runs until the response head is ready (for an
/// event stream: its first bytes, not its end).
public final class HTTPMetrics: Sendable {
    public static let requestsName = MetricName.httpRequests
    public static let durationName = MetricName.httpRequestDuration
    static let unmatchedRoute = "unmatched"
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// 5 ms to 10 s: API requests are one or two short transactions.
    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int?
    }

    private struct Handles {
        var counters: [Key: Counter] = [:]
        var histograms: [Key: DurationHistogram] = [:]
        var cacheLookups: [String: Counter] = [:]
    }

    /// The in-memory caches of ``IntakeCaches``, as the `cache` label names them.
    enum Cache: String {
        case gallery, apiKey = "api_key"
    }

    private let registry: PrometheusCollectorRegistry
    private let handles = Mutex(Handles())

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func record(method rawMethod: String, path: String, status: Int, duration: Duration) {
        let method = Self.methods.contains(rawMethod) ? rawMethod : "other"
        let route = IntakeRoute.template(matching: path) ?? Self.unmatchedRoute
        let registry = self.registry
        let (counter, histogram) = handles.withLock { handles in
            let counterKey = Key(route: route, method: method, status: status)
            let counter = handles.counters[counterKey] ?? registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: Self.requestsName, unitName: "",  // the full name, suffix included
                    helpText: "HTTP requests answered by the intake, by route template, method and status."),
                labels: [("route", route), ("method", method), ("status", String(status))])
            handles.counters[counterKey] = counter
            let histogramKey = Key(route: route, method: method)
            let histogram = handles.histograms[histogramKey] ?? registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    metricName: Self.durationName, unitName: "",
                    helpText: "Time from a request's arrival to its response head, by route template and method."),
                labels: [("route", route), ("method", method)], buckets: Self.buckets)
            handles.histograms[histogramKey] = histogram
            return (counter, histogram)
        }
        counter.increment()
        histogram.record(duration)
    }

    func cacheLookup(_ cache: Cache, hit: Bool) {
        let result = hit ? "hit" : "miss"
        let registry = self.registry
        let counter = handles.withLock { handles in
            let key = cache.rawValue + "/" + result
            let counter = handles.cacheLookups[key] ?? registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: MetricName.httpCacheLookups, unitName: "",
                    helpText: "In-memory lookups of the intake (galleries, API keys) that were a hit or a miss."),
                labels: [("cache", cache.rawValue), ("result", result)])
            handles.cacheLookups[key] = counter
            return counter
        }
        counter.increment()
    }
}
