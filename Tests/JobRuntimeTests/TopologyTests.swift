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

    @Test func aQuorumGroupSizeGoesOnEveryQueueAndNoneWithout() {
        let sized = Topology(workQueues: [canary], quorumInitialGroupSize: 3)
        #expect(!sized.queues.isEmpty)
        for queue in sized.queues { #expect(queue.arguments["x-quorum-initial-group-size"] == .int(3), "\(queue.name)") }
        for queue in Topology(workQueues: [canary]).queues { #expect(queue.arguments["x-quorum-initial-group-size"] == nil, "\(queue.name)") }
        // Nothing else changes.
        #expect(sized.queues.map(\.name) == Topology(workQueues: [canary]).queues.map(\.name))
    }

    @Test func delayQueueNamesCarryTheTier() {
        #expect(canary.delayQueue(.seconds(1)) == "canary.delay.1s")
        #expect(canary.delayQueue(.seconds(120)) == "canary.delay.2m")
        #expect(canary.delayQueue(.seconds(3600)) == "canary.delay.1h")
        #expect(Topology.delayQueue(for: canary, delay: .seconds(7)).tier == .seconds(30))
    }
}
