import FleetTesting
import Foundation
import HTTPTransport
import Testing

/// A real worker daemon under a fake systemd: the test binds the notify socket, reads the
/// datagrams, and asks the observability port what it reports.
@Suite struct DaemonNotifyTests {
    @Test func readyStatusMetricsAndStoppingAreReported() async throws {
        let fixture = try await RuntimeFixture.make()
        let notify = try NotifySocket()
        let port = try freeLoopbackPort()
        let worker = try fixture.spawnWorker(observabilityPort: port, environment: notify.environment(watchdogUSec: 2_000_000))
        defer { worker.signal(SIGKILL) }

        let untilReady = try await notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(60))
        #expect(untilReady.last?.contains("READY=1") == true)

        try await waitUntil("/readyz to answer 200") {
            (try? await Self.get("/readyz", port: port))?.status == 200
        }
        // Alive once the consume loop runs (a moment after the connections are ready).
        try await waitUntil("/healthz to answer 200") {
            (try? await Self.get("/healthz", port: port))?.status == 200
        }

        // The watchdog is fed while the consume loop is alive (WATCHDOG_USEC = 2 s → every 1 s).
        let untilWatchdog = try await notify.receive(until: { $0.contains("WATCHDOG=1") }, timeout: .seconds(30))
        #expect(untilWatchdog.last == "WATCHDOG=1")

        let id = try await fixture.enqueue(.init(echo: "metered"))
        try await fixture.waitForState(id, "succeeded")
        let metrics = try await Self.get("/metrics", port: port)
        #expect(metrics.status == 200)
        #expect(metrics.bodyText.contains("# TYPE"))

        worker.signal(SIGTERM)
        let untilStopping = try await notify.receive(until: { $0.contains("STOPPING=1") }, timeout: .seconds(60))
        #expect(untilStopping.last?.contains("STOPPING=1") == true)
        #expect(try await worker.waitForExit() == 0)
        await fixture.tearDown()
    }

    static func get(_ path: String, port: Int) async throws -> HTTPResponse {
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(2), totalTimeout: .seconds(5)))
        return try await client.perform(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)"))
    }
}
