import Testing
@testable import JobRuntime

/// The generic topology knows no product: it is built from whatever queues it is given.
@Suite struct TopologyTests {
    let canary = Topology.WorkQueue(name: "canary", deliveryLimit: 7, exchange: Topology.jobsExchange, bindingKeys: ["canary"])

    @Test func aTopologyDeclaresOnlyTheQueuesItIsGiven() {
        let topology = Topology(workQueues: [canary])
        let names = topology.queues.map(\.name)
        #expect(names == ["canary", "canary.dead"] + Topology.delayTiers.map { canary.delayQueue($0) })
        #expect(Topology(workQueues: []).queues.isEmpty)
        #expect(Set(topology.exchanges.map(\.name)) == [Topology.jobsExchange, Topology.eventsExchange, Topology.deadLetterExchange])
    }

    @Test func delayQueueNamesCarryTheTier() {
        #expect(canary.delayQueue(.seconds(1)) == "canary.delay.1s")
        #expect(canary.delayQueue(.seconds(120)) == "canary.delay.2m")
        #expect(canary.delayQueue(.seconds(3600)) == "canary.delay.1h")
        #expect(Topology.delayQueue(for: canary, delay: .seconds(7)).tier == .seconds(30))
    }
}
