import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Logging
import Testing

/// A fresh vhost is a fresh broker as far as the restart marker goes: no marker queue was
/// ever made there. The plan's first run must not call that a restart, while a marker that
/// was placed and then vanished still is one.
@Suite struct AdminScaleFreshBrokerTests {
    @Test func aMarkerThatWasNeverMadeIsNoRestartButALostOneIs() async throws {
        let vhost = try await FreshVhost.make("itp_fresh")
        let url = vhost.url
        let schema = try await MigratedSchema.create("admin_scale_fresh")
        var logger = Logger(label: "test.amqp")
        logger.logLevel = .warning
        let broker = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: url), logger: logger)
        let name = uniqueName("admin_q")
        let queue = Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
        try await Topology(workQueues: [queue]).declare(on: broker)

        let systemctl = try FakeSystemctl(unit: "itp-test-worker", instances: [1, 2, 3])
        let binary = try BuiltProducts.path("itp-admin")
        let arguments = ["scale", "plan", "--worker", "\(queue.name)=itp-test-worker", "--scale-in-readings", "2",
                         "--restart-hold-seconds", "300", "--systemctl", systemctl.path, "--json",
                         "--database-url", schema.conninfo, "--amqp-url", url]
        func plan() async throws -> [String: Any] {
            let run = try await offPool { try AdminRun.capture(binary, arguments, stdin: nil) }
            #expect(run.status == 0, "\(run.stderr)")
            return try #require((try run.json() as? [[String: Any]])?.first)
        }

        let first = try await plan()
        #expect(first["broker_restarted"] as? Bool == false, "\(first)")
        #expect(!(first["reason"] as? String ?? "").contains("restart"), "\(first)")
        // Two quiet readings and no restart: the (dry-run) plan scales in, nothing holds it.
        let second = try await plan()
        #expect(second["broker_restarted"] as? Bool == false, "\(second)")
        #expect(second["action"] as? String == "scale_in", "\(second)")

        // What a broker restart does to the marker: it is gone, and it was made before.
        _ = try await broker.deleteQueue(name: "itp.admin.restart-marker")
        let third = try await plan()
        #expect(third["broker_restarted"] as? Bool == true, "\(third)")
        #expect(third["action"] as? String == "hold", "\(third)")
        #expect((third["reason"] as? String ?? "").contains("after a restart"), "\(third)")

        await broker.close()
        _ = try? await offPool { schema.drop() }
        await vhost.delete()
    }
}
