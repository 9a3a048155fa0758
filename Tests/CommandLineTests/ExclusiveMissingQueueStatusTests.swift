import FleetTesting
import Foundation
import Testing

/// Issue 13: `itp-admin status` names a work queue's missing queues. It deletes production
/// queue names on the test broker, so it runs in the serial phase (and declares them again).
@Suite struct ExclusiveMissingQueueStatusTests {
    @Test func statusNamesTheMissingQueues() async throws {
        let fixture = try await AdminFixture.make("admin_missing_queue")
        let setup = try await fixture.admin(["broker", "setup"])
        #expect(setup.status == 0, "\(setup.stderr)")
        try await fixture.broker.deleteQueue(name: "mockup.flat_lay")
        try await fixture.broker.deleteQueue(name: "mockup.flat_lay.delay.5s")

        let status = try await fixture.admin(["status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("mockup.flat_lay: missing queue(s) mockup.flat_lay, mockup.flat_lay.delay.5s (run: itp-admin broker setup)"),
                "\(status.stdout)")
        #expect(status.stdout.contains("mockup.mr_imagine: 0 ready"), "\(status.stdout)")
        let json = try #require(try await fixture.admin(["status", "--json"]).json() as? [String: Any])
        let queues = try #require((json["broker"] as? [String: Any])?["queues"] as? [[String: Any]])
        let flatLay = try #require(queues.first { $0["name"] as? String == "mockup.flat_lay" })
        #expect(flatLay["declared"] as? Bool == false)
        #expect(flatLay["missing"] as? [String] == ["mockup.flat_lay", "mockup.flat_lay.delay.5s"])

        #expect(try await fixture.admin(["broker", "setup"]).status == 0)
        let repaired = try await fixture.admin(["status"])
        #expect(!repaired.stdout.contains("missing queue"), "\(repaired.stdout)")
        await fixture.tearDown()
    }
}
