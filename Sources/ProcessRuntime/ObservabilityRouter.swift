import Prometheus

/// Maps a request head to a response: `/metrics`, `/healthz`, `/readyz`. No I/O of its own,
/// so the routing rules are tested without a socket.
struct ObservabilityRouter: Sendable {
    var registry: PrometheusCollectorRegistry
    var healthChecks: HealthChecks

    /// The exposition format `registry.emit` writes.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    func respond(to head: HTTPRequestHead) -> HTTPResponse {
        let known = ["/metrics", "/healthz", "/readyz"]
        guard known.contains(head.path) else { return HTTPResponse(status: 404, text: "not found\n") }
        switch head.method {
        case "GET": return get(head.path)
        // Probes and load balancers check with HEAD: the same status and headers, no body.
        case "HEAD": return get(head.path).headOnly()
        default:
            return HTTPResponse(status: 405, body: Array("method not allowed\n".utf8), extraHeaders: [("Allow", "GET, HEAD")])
        }
    }

    private func get(_ path: String) -> HTTPResponse {
        switch path {
        case "/metrics":
            for reading in healthChecks.gaugeReadings() {
                // The full name as the fleet's table spells it: no unit suffix is added.
                let descriptor = MetricNameDescriptor(
                    metricName: reading.metric, unitName: "", helpText: MetricHelp.texts[reading.metric] ?? MetricHelp.fallback)
                registry.makeGauge(descriptor: descriptor).set(reading.value)
            }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(16 * 1024)
            registry.emit(into: &buffer)
            // swift-metrics handles carry no help text, so swift-prometheus writes none: add it.
            buffer = MetricHelp.annotate(buffer)
            return HTTPResponse(status: 200, contentType: Self.metricsContentType, body: buffer)
        case "/healthz":
            let failing = healthChecks.failingLiveness()
            guard failing.isEmpty else {
                return HTTPResponse(status: 503, json: #"{"alive":false,"failing":\#(Self.jsonArray(failing))}"#)
            }
            return HTTPResponse(status: 200, text: "ok\n")
        default:
            let failing = healthChecks.failingReadiness()
            guard failing.isEmpty else {
                return HTTPResponse(status: 503, json: #"{"ready":false,"failing":\#(Self.jsonArray(failing))}"#)
            }
            return HTTPResponse(status: 200, json: #"{"ready":true}"#)
        }
    }

    /// A JSON array of check names. Names are ours, but escape anyway so a careless name
    /// cannot break the body.
    static func jsonArray(_ names: [String]) -> String {
        let items = names.map { name in
            var escaped = "\""
            for scalar in name.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case _ where scalar.value < 0x20: escaped += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped + "\""
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}
