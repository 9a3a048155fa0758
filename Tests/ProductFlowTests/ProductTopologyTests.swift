import JobRuntime
import ProductFlow
import Testing

@Suite struct ProductTopologyTests {
    let topology = ProductQueues.topology

    @Test func queueNamesAreTheDocumentedOnes() {
        let names = Set(topology.queues.map(\.name))
        for queue in ["design.generate", "mockup.flat_lay", "mockup.mr_imagine", "finalizer.events", "webhook.deliver"] {
            #expect(names.contains(queue))
            #expect(names.contains(queue + ".dead"))
        }
    }

    @Test func everyWorkQueueIsAQuorumQueueWithALimitAndABoundDeadLetterQueue() {
        for queue in topology.workQueues {
            let declaration = topology.queues.first { $0.name == queue.name }
            #expect(declaration?.arguments["x-queue-type"] == .string("quorum"))
            #expect(declaration?.arguments["x-delivery-limit"] == .int(queue.deliveryLimit))
            #expect(declaration?.arguments["x-dead-letter-strategy"] == .string("at-least-once"))
            #expect(declaration?.arguments["x-overflow"] == .string("reject-publish"))
            let routingKey = declaration?.arguments["x-dead-letter-routing-key"]
            // An unbound dead-letter exchange drops silently: the key must reach <queue>.dead.
            #expect(topology.bindings.contains {
                $0.exchange == Topology.deadLetterExchange && $0.queue == queue.deadLetterQueue && .string($0.routingKey) == routingKey
            })
        }
    }

    @Test func everyDelayQueueExpiresBackIntoItsWorkQueue() {
        for queue in topology.workQueues {
            for tier in Topology.delayTiers {
                let delay = topology.queues.first { $0.name == queue.delayQueue(tier) }
                #expect(delay?.arguments["x-message-ttl"] == .int(Int(tier.components.seconds) * 1000))
                #expect(delay?.arguments["x-dead-letter-exchange"] == .string(Topology.jobsExchange))
                #expect(delay?.arguments["x-dead-letter-routing-key"] == .string(queue.name))
                #expect(topology.bindings.contains {
                    $0.exchange == Topology.jobsExchange && $0.queue == queue.name && $0.routingKey == queue.name
                })
            }
        }
    }

    @Test func delaysRoundUpToATierAndTheLongestCaps() {
        #expect(Topology.delayQueue(for: ProductQueues.mockupFlatLay, delay: .milliseconds(300)).name == "mockup.flat_lay.delay.1s")
        #expect(Topology.delayQueue(for: ProductQueues.mockupFlatLay, delay: .seconds(6)).name == "mockup.flat_lay.delay.30s")
        #expect(Topology.delayQueue(for: ProductQueues.mockupFlatLay, delay: .seconds(100_000)).name == "mockup.flat_lay.delay.1h")
    }
}
