import AMQP
import FleetTesting
import Testing

/// Against the real broker. Serialized; the broker-restart test lives in DisruptiveBrokerRestartTests.
@Suite(.serialized) struct BrokerTests {
    @Test func thousandConfirmedPublishesAllArrive() async throws {
        let connection = try await connect("publish-1000")
        let queue = uniqueName("amqp_publish")
        try await connection.declareQueue(name: queue, arguments: quorumArguments)

        // 900 in batches of 100 (the outbox relay's shape) and 100 concurrent singles.
        for batch in 0..<9 {
            let messages = (0..<100).map { index in
                AMQPMessage(
                    exchange: "", routingKey: queue, body: bytes("batch \(batch) #\(index)"),
                    properties: AMQPProperties(messageID: "b\(batch)-\(index)"))
            }
            let results = try await connection.publish(messages)
            #expect(results.count == 100)
            for result in results { try result.get() }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask { try await connection.publish(exchange: "", routingKey: queue, body: bytes("single \(index)")) }
            }
            try await group.waitForAll()
        }

        try await waitUntil("1000 messages in \(queue)") {
            try await connection.declareQueue(name: queue, passive: true).messageCount == 1000
        }
        try await connection.deleteQueue(name: queue)
        await connection.close()
    }

    @Test func unroutableMandatoryPublishIsAnError() async throws {
        let connection = try await connect("unroutable")
        let exchange = uniqueName("amqp_ex")
        let queue = uniqueName("amqp_routed")
        try await connection.declareExchange(name: exchange, type: "direct", durable: false, autoDelete: true)
        try await connection.declareQueue(name: queue, durable: false, autoDelete: true)
        try await connection.bindQueue(name: queue, exchange: exchange, routingKey: "routed")

        let results = try await connection.publish([
            AMQPMessage(exchange: exchange, routingKey: "routed", body: bytes("one")),
            AMQPMessage(exchange: exchange, routingKey: "nowhere", body: bytes("lost")),
            AMQPMessage(exchange: exchange, routingKey: "routed", body: bytes("two")),
        ])
        #expect(throws: Never.self) { try results[0].get() }
        #expect(throws: AMQPError.self) { try results[1].get() }
        if case .failure(let error) = results[1] { #expect(error.code == .unroutable) }
        #expect(throws: Never.self) { try results[2].get() }

        let error = await #expect(throws: AMQPError.self) {
            try await connection.publish(exchange: exchange, routingKey: "nowhere", body: bytes("lost again"))
        }
        #expect(error?.code == .unroutable)
        try await waitUntil("2 routed messages") {
            try await connection.declareQueue(name: queue, durable: false, autoDelete: true, passive: true).messageCount == 2
        }
        await connection.close()
    }

    @Test func brokerErrorsCarryTheReplyCodeAndTheChannelRecovers() async throws {
        let connection = try await connect("broker-errors")
        let error = await #expect(throws: AMQPError.self) {
            try await connection.declareQueue(name: uniqueName("amqp_missing"), passive: true)
        }
        #expect(error?.code == .channelClosed)
        #expect(error?.replyCode == 404)
        #expect(error?.isRetriable == false)
        let queue = uniqueName("amqp_after_error")
        let declared = try await connection.declareQueue(name: queue, durable: false, autoDelete: true)
        #expect(declared.name == queue)
        #expect(connection.generation == 1)
        await connection.close()
    }

    @Test func messagesOfAConsumerWhoseConnectionDiesAreRedelivered() async throws {
        let publisher = try await connect("redeliver-publisher")
        let queue = uniqueName("amqp_redeliver")
        try await publisher.declareQueue(name: queue, arguments: quorumArguments)
        let dying = try await connect("redeliver-dying") { $0.reconnectInitialDelay = .seconds(30) }
        let inbox = Inbox(try await dying.consume(queue: queue, prefetch: 10))
        for index in 0..<5 { try await publisher.publish(exchange: "", routingKey: queue, body: bytes("m\(index)")) }
        try await waitUntil("5 deliveries before the loss") { inbox.count == 5 }
        #expect(inbox.deliveries.allSatisfy { !$0.redelivered })

        let before = dying.generation
        dying.simulateConnectionLoss()
        // Disconnected, or already connected again (the state a slow poll may miss).
        try await waitUntil("the dying connection notices") { !dying.isConnected || dying.generation > before }
        let stale = await #expect(throws: AMQPError.self) { try await dying.ack(inbox.deliveries[0]) }
        #expect(stale?.code == .staleDelivery)
        await dying.close()

        let survivor = try await connect("redeliver-survivor")
        let redelivered = Inbox(try await survivor.consume(queue: queue, prefetch: 10))
        try await waitUntil("5 redeliveries") { redelivered.count == 5 }
        #expect(redelivered.deliveries.allSatisfy { $0.redelivered })
        #expect(Set(redelivered.deliveries.map { text($0.body) }) == Set((0..<5).map { "m\($0)" }))
        for delivery in redelivered.deliveries { try await survivor.ack(delivery) }
        await survivor.close()
        try await publisher.deleteQueue(name: queue)
        await publisher.close()
    }

    @Test func aLongJobKeepsItsConnectionAndItsAckCounts() async throws {
        let connection = try await connect("long-job")  // 2 s heartbeat
        let queue = uniqueName("amqp_long_job")
        try await connection.declareQueue(name: queue, arguments: quorumArguments)
        try await connection.publish(exchange: "", routingKey: queue, body: bytes("slow"))
        let consumer = try await connection.consume(queue: queue, prefetch: 1)
        let inbox = Inbox(consumer)
        try await waitUntil("the job arrives") { inbox.count == 1 }
        let generation = connection.generation

        // The job runs elsewhere for 5 heartbeat intervals; only the I/O thread talks to the broker.
        try await Task.sleep(for: .seconds(10))

        try await connection.ack(inbox.deliveries[0])
        #expect(connection.generation == generation)
        #expect(connection.isConnected)
        #expect(connection.isLoopHealthy())
        try await consumer.cancel()
        await connection.close()

        // Had the ack been lost, closing would have returned the message to the queue.
        let observer = try await connect("long-job-observer")
        let late = Inbox(try await observer.consume(queue: queue, prefetch: 1))
        try await Task.sleep(for: .seconds(2))
        #expect(late.count == 0)
        let depth = try await observer.declareQueue(name: queue, passive: true)
        #expect(depth.messageCount == 0)
        try await observer.deleteQueue(name: queue)
        await observer.close()
    }

}
