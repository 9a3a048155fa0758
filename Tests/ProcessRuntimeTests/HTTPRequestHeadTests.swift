import Prometheus
@testable import ProcessRuntime
import Testing

@Suite struct HTTPRequestHeadTests {
    @Test func parsesMethodAndPathWithoutQuery() {
        #expect(HTTPRequestHead.parse(Array("GET /readyz?x=1 HTTP/1.1\r\nHost: a\r\n\r\n".utf8)) == .complete(.init(method: "GET", path: "/readyz")))
        #expect(HTTPRequestHead.parse(Array("HEAD /metrics HTTP/1.0\n\n".utf8)) == .complete(.init(method: "HEAD", path: "/metrics")))
    }

    @Test func waitsForTheBlankLine() {
        #expect(HTTPRequestHead.parse(Array("GET /metrics HTTP/1.1\r\nHost: a\r\n".utf8)) == .incomplete)
        #expect(HTTPRequestHead.parse([UInt8]()) == .incomplete)
    }

    @Test(arguments: ["GET\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n", "GET /metrics SPDY/3\r\n\r\n", "G(T /metrics HTTP/1.1\r\n\r\n"])
    func rejectsWhatIsNotAnHTTP1RequestLine(_ text: String) {
        #expect(HTTPRequestHead.parse(Array(text.utf8)) == .invalid)
    }

    @Test func routerAnswersHeadLikeGetWithoutABodyAndEscapesCheckNames() {
        let checks = HealthChecks()
        checks.addReadiness("odd\"name") { false }
        let router = ObservabilityRouter(registry: PrometheusCollectorRegistry(), healthChecks: checks)
        let head = router.respond(to: .init(method: "HEAD", path: "/readyz"))
        #expect(head.status == 503)
        let serialized = String(decoding: head.serialized(), as: UTF8.self)
        #expect(serialized.hasSuffix("\r\n\r\n"), "no body after the head: \(serialized)")
        #expect(router.respond(to: .init(method: "DELETE", path: "/readyz")).status == 405)
        let body = router.respond(to: .init(method: "GET", path: "/readyz")).body
        #expect(String(decoding: body, as: UTF8.self) == #"{"ready":false,"failing":["odd\"name"]}"#)
    }
}
