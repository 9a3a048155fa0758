import FleetTesting
import Foundation
import HTTPTransport
import Testing

/// /readyz turns false while the broker is down, and true again when it is back; the daemon
/// stays up throughout. Stops the shared broker: runs in the Disruptive phase.
@Suite(.serialized) struct DisruptiveReadinessTests {
    @Test func readyzIsFalseWhileTheBrokerIsDown() async throws {
        let fixture = try await RuntimeFixture.make()
        let port = try freeLoopbackPort()
        let worker = try fixture.spawnWorker(observabilityPort: port)
        defer { worker.signal(SIGKILL) }
        try await waitUntil("ready") { (try? await DaemonNotifyTests.get("/readyz", port: port))?.status == 200 }

        try fixture.env.servers("broker-stop", "--kill")
        try await waitUntil("/readyz to report the broker") {
            guard let response = try? await DaemonNotifyTests.get("/readyz", port: port) else { return false }
            return response.status == 503 && response.bodyText.contains("broker")
        }
        #expect(worker.isRunning)

        try fixture.env.servers("broker-start")
        try await waitUntil("ready again", timeout: .seconds(90)) {
            (try? await DaemonNotifyTests.get("/readyz", port: port))?.status == 200
        }
        let id = try await fixture.enqueue(.init(echo: "after the outage"))
        try await fixture.waitForState(id, "succeeded", timeout: .seconds(90))
        await fixture.tearDown()
    }
}
