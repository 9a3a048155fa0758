import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Operations
import Postgres
import ProductFlow
import Testing

/// The overview's broker readings per work queue (``QueueSnapshot``, as `itp-admin queues`)
/// and the scaling page (``ScalePlanning``, as `itp-admin scale plan`, recording nothing).
@Suite struct ConsoleScalingTests {
    /// A work queue of the test's own on the test broker, with `ready` messages in it.
    func queue(_ broker: AMQPConnection, ready: Int) async throws -> Topology.WorkQueue {
        let name = uniqueName("console_scale")
        let queue = Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
        try await Topology(workQueues: [queue]).declare(on: broker)
        for index in 0..<ready {
            try await broker.publish(exchange: Topology.jobsExchange, routingKey: name, body: Array("\(index)".utf8))
        }
        try await waitUntil("the broker to count \(ready) ready") {
            try await broker.declareQueue(name: name, passive: true).messageCount == ready
        }
        return queue
    }

    /// The text of `<section id="…">` up to its end.
    func section(_ html: String, _ id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        return html[start.upperBound...].components(separatedBy: "</section>").first
    }

    func deleteQueue(_ broker: AMQPConnection, _ queue: Topology.WorkQueue) async {
        for name in [queue.name, queue.deadLetterQueue] + Topology.delayTiers.map(queue.delayQueue) {
            _ = try? await broker.deleteQueue(name: name)
        }
    }

    @Test func theOverviewShowsEveryWorkQueueAsItpAdminQueuesReadsIt() async throws {
        try await ConsoleFixture.with { fixture in
            let op = try await fixture.makeOperator()
            try await fixture.withBroker { broker in
                try await fixture.withBrowser(configure: { $0.broker = broker }) { browser in
                    try await browser.signIn(op.name, op.password)
                    let page = try await browser.get("/")
                    #expect(page.status == 200)
                    #expect(page.text.contains("<th class=\"num\">ready</th><th class=\"num\">in flight</th><th class=\"num\">consumers</th>"))
                    for queue in ProductQueues.all { #expect(page.text.contains("<td>\(queue.name)</td>"), "\(queue.name)") }
                    #expect(page.element("broker-problem") == nil)
                }
            }
            try await fixture.withBrowser { browser in
                try await browser.signIn(op.name, op.password)
                let page = try await browser.get("/")
                #expect(page.status == 200)
                #expect(page.element("broker-problem") == "This console has no broker connection: the queue readings are unavailable.")
            }
        }
    }

    @Test func theScalingPageShowsThePlanItsReadingsAndWhyScaleInIsOrIsNotAllowed() async throws {
        try await ConsoleFixture.with { fixture in
            let op = try await fixture.makeOperator(readOnly: true)
            try await fixture.withBroker { broker in
                // The restart marker in place: no broker restart holds the plan.
                _ = try await BrokerRestartMarker.missing(on: broker)
                let quiet = try await queue(broker, ready: 0), busy = try await queue(broker, ready: 30)
                // Two earlier readings of the quiet queue asked for one instance; with this one, three.
                try await fixture.sql { connection in
                    for age in [120, 60] {
                        try connection.execute("""
                            INSERT INTO scale_readings (queue, taken_at, ready, in_flight, consumers, instances, job_seconds, needed, desired)
                            VALUES (\(quiet.name), now() - make_interval(secs => \(age)), 0, 0, 0, 3, 30, 1, 3)
                            """)
                    }
                }
                let quietUnits = try FakeSystemctl(unit: "itp-quiet-worker", instances: [1, 2, 3])
                let kinds = [try WorkerKind.parse("\(quiet.name)=itp-quiet-worker", concurrency: 1),
                             try WorkerKind.parse("\(busy.name)=itp-busy-worker", concurrency: 1)]
                try await fixture.withBrowser(configure: {
                    $0.broker = broker
                    $0.workers = kinds
                    $0.systemctl = quietUnits.path
                }) { browser in
                    try await browser.signIn(op.name, op.password)
                    let page = try await browser.get("/scaling")
                    #expect(page.status == 200)
                    let quietSection = try #require(section(page.text, "scale-\(quiet.name)"))
                    #expect(quietSection.contains("ready 0, in flight 0, consumers 0"))
                    #expect(quietSection.contains("Running</dt><dd>3 (systemd)"))
                    #expect(quietSection.contains("needed 1 → scale in 1: 3 consecutive readings ask for at most 1"))
                    #expect(quietSection.contains("Allowed now: 3 consecutive readings ask for at most 1."))
                    #expect(quietSection.contains("systemctl stop itp-quiet-worker@2.service itp-quiet-worker@3.service"))
                    #expect(quietSection.components(separatedBy: "<td class=\"time\">").count == 3, "the two earlier readings")
                    let busySection = try #require(section(page.text, "scale-\(busy.name)"))
                    // 30 ready × 30 s (default) ÷ 300 s = 3; the stand-in systemctl runs none of this unit.
                    #expect(busySection.contains("ready 30, in flight 0"))
                    #expect(busySection.contains("needed 3 → scale out 3"))
                    #expect(busySection.contains("Not asked for: the backlog needs 3, 0 run."))
                    #expect(busySection.contains("No reading in the window"))
                }
                #expect(!quietUnits.log.contains("stop"), "the page applies nothing")
                #expect(try await fixture.count("SELECT count(*) FROM scale_readings") == 2, "the page records no reading")
                await deleteQueue(broker, quiet)
                await deleteQueue(broker, busy)
            }
        }
    }
}
