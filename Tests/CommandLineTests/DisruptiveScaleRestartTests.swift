import FleetTesting
import Foundation
import Testing

/// Restarts the shared broker (`scripts/test` runs suites named Disruptive… alone, after the
/// rest): the next `scale plan` sees the restart marker gone and holds every scale-in.
@Suite(.serialized) struct DisruptiveScaleRestartTests {
    @Test func theScalePlanSeesABrokerRestartAndHoldsScaleIn() async throws {
        let fixture = try await AdminFixture.make("admin_scale_restarted")
        let systemctl = try FakeSystemctl(unit: "itp-test-worker", instances: [1, 2, 3])
        let arguments = ["scale", "plan", "--worker", "\(fixture.queue.name)=itp-test-worker", "--scale-in-readings", "2",
                         "--restart-hold-seconds", "300", "--systemctl", systemctl.path, "--json"]
        func plan(apply: Bool = true) async throws -> [String: Any] {
            let run = try await fixture.admin(arguments + (apply ? ["--apply"] : []))
            #expect(run.status == 0, "\(run.stderr)")
            return try #require((try run.json() as? [[String: Any]])?.first)
        }
        // Dry runs: the marker is put in place, the next reading sees no restart, and two quiet
        // readings are recorded — enough for a scale-in, were it not for the restart below.
        _ = try await plan(apply: false)
        let before = try await plan(apply: false)
        #expect(before["broker_restarted"] as? Bool == false)

        try fixture.env.servers("broker-stop")
        try fixture.env.servers("broker-start")
        var after: [String: Any] = [:]
        try await waitUntil("itp-admin to reach the restarted broker", timeout: .seconds(90), poll: .seconds(1)) {
            let run = try await fixture.admin(arguments + ["--apply"])
            guard run.status == 0, let entry = (try? run.json() as? [[String: Any]])?.first else { return false }
            after = entry
            return true
        }
        #expect(after["broker_restarted"] as? Bool == true)
        #expect(after["action"] as? String == "hold")
        // Quiet readings keep coming, but the hold lasts: nothing is stopped.
        for _ in 0..<2 {
            let next = try await plan()
            #expect(next["broker_restarted"] as? Bool == false)
            #expect((next["reason"] as? String ?? "").contains("after a restart"), "\(next)")
        }
        #expect(!systemctl.log.contains("stop"))
        await fixture.tearDown()
    }
}
