import FleetTesting
import Logging
import Metrics
import Prometheus
@testable import ProcessRuntime
import ServiceLifecycle
import Settings
import Testing
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ObservabilityServerTests {
    @Test func metricsServesCountersIncrementedThroughSwiftMetrics() async throws {
        let registry = GlobalMetrics.registry
        let label = uniqueName("itp_test_jobs_total")
        Counter(label: label, dimensions: [("queue", "mockup.flat_lay"), ("outcome", "succeeded")]).increment(by: 3)

        try await withServer(registry: registry) { server in
            #expect(server.address.port > 0)
            let response = try await HTTPTestClient.get("/metrics", from: server.address)
            #expect(response.status == 200)
            #expect(response.head.contains("Content-Type: text/plain; version=0.0.4"))
            #expect(response.body.contains("# TYPE \(label) counter"))
            #expect(response.body.contains(#"\#(label){queue="mockup.flat_lay",outcome="succeeded"} 3"#))
        }
    }

    @Test func healthzFollowsLivenessChecks() async throws {
        let alive = Flag(true)
        let checks = HealthChecks()
        checks.addLiveness("consume-loop") { alive.isOn }
        try await withServer(healthChecks: checks) { server in
            let healthy = try await HTTPTestClient.get("/healthz", from: server.address)
            #expect(healthy.status == 200)
            #expect(healthy.body == "ok\n")

            alive.set(false)
            let stalled = try await HTTPTestClient.get("/healthz", from: server.address)
            #expect(stalled.status == 503)
            #expect(stalled.body == #"{"alive":false,"failing":["consume-loop"]}"#)
        }
    }

    @Test func readyzFlipsWhenACheckFlips() async throws {
        let brokerUp = Flag(false)
        let checks = HealthChecks()
        checks.addReadiness("broker") { brokerUp.isOn }
        checks.addReadiness("database") { true }
        try await withServer(healthChecks: checks) { server in
            let notReady = try await HTTPTestClient.get("/readyz", from: server.address)
            #expect(notReady.status == 503)
            #expect(notReady.head.contains("Content-Type: application/json"))
            #expect(notReady.body == #"{"ready":false,"failing":["broker"]}"#)

            brokerUp.set(true)
            let ready = try await HTTPTestClient.get("/readyz", from: server.address)
            #expect(ready.status == 200)
            #expect(ready.body == #"{"ready":true}"#)
        }
    }

    @Test func unknownPathsAre404AndOtherMethods405() async throws {
        try await withServer { server in
            #expect(try await HTTPTestClient.get("/", from: server.address).status == 404)
            #expect(try await HTTPTestClient.get("/metrics/extra", from: server.address).status == 404)
            let post = try await HTTPTestClient.send(Array("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8), to: server.address)
            #expect(post.status == 405)
            #expect(post.head.contains("Allow: GET, HEAD"))
            // Query strings do not change the route.
            #expect(try await HTTPTestClient.get("/healthz?verbose=1", from: server.address).status == 200)
        }
    }

    @Test func oversizedHeadIsRejectedAndTheServerKeepsServing() async throws {
        try await withServer { server in
            let filler = String(repeating: "a", count: 16 * 1024)
            let oversized = try await HTTPTestClient.send(
                Array("GET /metrics HTTP/1.1\r\nX-Fill: \(filler)\r\n\r\n".utf8), to: server.address)
            #expect(oversized.status == 431)
            #expect(try await HTTPTestClient.get("/healthz", from: server.address).status == 200)
        }
    }

    @Test func garbageIsABadRequest() async throws {
        try await withServer { server async throws in
            #expect(try await HTTPTestClient.send(Array("HELLO\r\n\r\n".utf8), to: server.address).status == 400)
            #expect(try await HTTPTestClient.get("/healthz", from: server.address).status == 200)
        }
    }

    @Test func aSilentClientTimesOutAndDoesNotBlockOthers() async throws {
        try await withServer(limits: .init(headTimeout: .milliseconds(200))) { server in
            let silent = try HTTPTestClient.connect(to: server.address)
            defer { _ = close(silent) }
            // Served after the silent client's head deadline, whatever the machine's speed.
            #expect(try await HTTPTestClient.get("/healthz", from: server.address).status == 200)
            let partial = try await HTTPTestClient.send(Array("GET /healthz HTTP/1.1\r\n".utf8), to: server.address)
            #expect(partial.status == 408)
        }
    }

    @Test func servesOnIPv6Loopback() async throws {
        let server: ObservabilityServer
        do {
            server = try ObservabilityServer(
                address: HostPort(host: "::1", port: 0), registry: PrometheusCollectorRegistry(), healthChecks: HealthChecks(),
                logger: .quiet)
        } catch {
            // Some sandboxes have no IPv6 loopback at all; that is the machine, not the server.
            withKnownIssue("no IPv6 loopback here: \(error)") { throw error }
            return
        }
        #expect(server.address.description.hasPrefix("[::1]:"))
        let running = Task { try await server.run() }
        #expect(try await HTTPTestClient.get("/healthz", from: server.address).status == 200)
        running.cancel()
        try await running.value
    }

    @Test func bindFailureNamesTheAddress() async throws {
        try await withServer { server in
            let error = #expect(throws: ProcessRuntimeError.self) {
                try ObservabilityServer(
                    address: server.address, registry: PrometheusCollectorRegistry(), healthChecks: HealthChecks(), logger: .quiet)
            }
            #expect(error?.code == .bindFailed)
            #expect(error?.description.contains("127.0.0.1:\(server.address.port)") == true)
            #expect(error?.description.contains("ITP_OBSERVABILITY_ADDR") == true)
        }
    }

    @Test func gracefulShutdownOfTheGroupStopsTheServer() async throws {
        let server = try ObservabilityServer(
            address: HostPort(host: "127.0.0.1", port: 0), registry: PrometheusCollectorRegistry(), healthChecks: HealthChecks(),
            logger: .quiet)
        let group = ServiceGroup(services: [server], logger: .quiet)
        let running = Task { try await group.run() }
        try await waitUntil("server answers") { (try? await HTTPTestClient.get("/healthz", from: server.address).status) == 200 }
        await group.triggerGracefulShutdown()
        try await running.value
        await #expect(throws: (any Error).self) { try await HTTPTestClient.get("/healthz", from: server.address) }
    }

    @Test func healthzAndReadyzAnswerHEADWithTheStatusAndNoBody() async throws {
        let brokerUp = Flag(false)
        let checks = HealthChecks()
        checks.addReadiness("broker") { brokerUp.isOn }
        try await withServer(healthChecks: checks) { server in
            for path in ["/healthz", "/readyz", "/metrics"] {
                let get = try await HTTPTestClient.get(path, from: server.address)
                let head = try await HTTPTestClient.send(Array("HEAD \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), to: server.address)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.isEmpty, "\(path): \(head.body)")
                // The head says what GET would send.
                #expect(head.head.contains("Content-Length: \(get.body.utf8.count)\r"), "\(path): \(head.head)")
            }
            #expect(try await HTTPTestClient.send(Array("HEAD /readyz HTTP/1.1\r\n\r\n".utf8), to: server.address).status == 503)
            brokerUp.set(true)
            #expect(try await HTTPTestClient.send(Array("HEAD /readyz HTTP/1.1\r\n\r\n".utf8), to: server.address).status == 200)
        }
    }

    @Test func everyMetricFamilyHasAHelpLine() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = MetricsSetup.makeFactory(registry: registry)
        let unknown = uniqueName("itp_test_unlisted")
        Counter(label: MetricName.jobs, dimensions: [("queue", "q"), ("kind", "k"), ("outcome", "succeeded")], factory: factory).increment()
        Timer(label: MetricName.jobDuration, dimensions: [("queue", "q"), ("kind", "k")], factory: factory).recordSeconds(1)
        Gauge(label: MetricName.jobsInFlight, dimensions: [("queue", "q")], factory: factory).record(1)
        Counter(label: unknown, factory: factory).increment()
        try await withServer(registry: registry) { server in
            let body = try await HTTPTestClient.get("/metrics", from: server.address).body
            let lines = body.split(separator: "\n").map(String.init)
            let types = lines.filter { $0.hasPrefix("# TYPE ") }
            #expect(types.count == 4, "\(body)")
            for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
                let name = line.split(separator: " ")[2]
                #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(name) has no HELP line:\n\(body)")
            }
            #expect(body.contains("# HELP \(MetricName.jobs) Job attempts finished"))
            #expect(body.contains("# HELP \(unknown) "))
            // Exactly one HELP per family.
            #expect(lines.filter { $0.hasPrefix("# HELP ") }.count == types.count)
            #expect(body.contains(#"\#(MetricName.jobs){queue="q",kind="k",outcome="succeeded"} 1"#))
        }
    }
}
