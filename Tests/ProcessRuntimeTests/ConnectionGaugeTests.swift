import Prometheus
@testable import ProcessRuntime
import Synchronization
import Testing
import Vocabulary

/// `itp_amqp_connected` and `itp_db_connected` are what the daemon's readiness checks say,
/// read at each scrape: documented in the metric table, so emitted.
@Suite struct ConnectionGaugeTests {
    @Test func aReadinessCheckWithAGaugeIsExportedAsOneOrZeroAtEachScrape() {
        let brokerUp = Atomic<Bool>(false)
        let checks = HealthChecks()
        checks.addReadiness("broker", gauge: MetricName.amqpConnected) { brokerUp.load(ordering: .relaxed) }
        checks.addGauge(MetricName.databaseConnected) { true }
        let router = ObservabilityRouter(registry: PrometheusCollectorRegistry(), healthChecks: checks)

        func scrape() -> String {
            String(decoding: router.respond(to: .init(method: "GET", path: "/metrics")).body, as: UTF8.self)
        }
        let down = scrape()
        #expect(down.contains("\n\(MetricName.amqpConnected) 0.0\n") || down.contains("\n\(MetricName.amqpConnected) 0\n"), "\(down)")
        #expect(down.contains("# HELP \(MetricName.amqpConnected) 1 while the broker connection is up"), "\(down)")
        #expect(down.contains("\n\(MetricName.databaseConnected) 1"), "\(down)")
        brokerUp.store(true, ordering: .relaxed)
        let up = scrape()
        #expect(up.contains("\n\(MetricName.amqpConnected) 1"), "\(up)")
        // A gauge-only check is no readiness check: /readyz names only the broker.
        #expect(checks.failingReadiness().isEmpty)
        brokerUp.store(false, ordering: .relaxed)
        #expect(checks.failingReadiness() == ["broker"])
    }
}
