import AMQP
import FleetTesting
import Logging
import Testing

/// A list of broker addresses against the real broker: two of the three nodes listen on
/// nothing (free loopback ports), so every connection, whatever its shuffled order, ends
/// on the live one, and a lost connection finds it again through the dead ones.
@Suite struct EndpointListTests {
    private func connectThroughList(_ name: String) async throws -> (AMQPConnection, live: AMQPEndpoint) {
        var configuration = try testConfiguration(name)
        let live = configuration.endpoints[0]
        configuration.endpoints = [
            AMQPEndpoint(host: "127.0.0.1", port: try freeLoopbackPort()),
            live,
            AMQPEndpoint(host: "127.0.0.1", port: try freeLoopbackPort()),
        ]
        var logger = Logger(label: "amqp-test")
        logger.logLevel = .error
        return (try await AMQPConnection.connect(configuration: configuration, logger: logger), live)
    }

    @Test func everyConnectionFindsTheLiveNodeOfTheList() async throws {
        let queue = uniqueName("amqp_list")
        for index in 0..<6 {
            let (connection, live) = try await connectThroughList("list-\(index)")
            #expect(connection.connectedEndpoint == live)
            if index == 0 { try await connection.declareQueue(name: queue, arguments: quorumArguments) }
            try await connection.publish(exchange: "", routingKey: queue, body: bytes("m\(index)"))
            await connection.close()
        }
        let (reader, _) = try await connectThroughList("list-reader")
        let depth = try await reader.declareQueue(name: queue, passive: true)
        #expect(depth.messageCount == 6)
        try await reader.deleteQueue(name: queue)
        await reader.close()
    }

    @Test func afterALossTheConsumerAndConfirmsResumeThroughTheList() async throws {
        let (connection, live) = try await connectThroughList("list-loss")
        let queue = uniqueName("amqp_list_loss")
        try await connection.declareQueue(name: queue, arguments: quorumArguments)
        let inbox = Inbox(try await connection.consume(queue: queue, prefetch: 10))
        for index in 0..<5 { try await connection.publish(exchange: "", routingKey: queue, body: bytes("before\(index)")) }
        try await waitUntil("5 deliveries before the loss") { inbox.count == 5 }
        for delivery in inbox.deliveries { try await connection.ack(delivery) }

        connection.simulateConnectionLoss()
        try await waitUntil("a second login") { connection.generation >= 2 && connection.isConnected }
        #expect(connection.connectedEndpoint == live)
        // Confirmed publishes and the re-subscribed consumer work on the new connection.
        for index in 0..<5 { try await connection.publish(exchange: "", routingKey: queue, body: bytes("after\(index)")) }
        try await waitUntil("5 deliveries after the loss") { inbox.count == 10 }
        let after = inbox.deliveries.dropFirst(5)
        #expect(Set(after.map { text($0.body) }) == Set((0..<5).map { "after\($0)" }))
        for delivery in after { try await connection.ack(delivery) }
        try await connection.deleteQueue(name: queue)
        await connection.close()
    }
}
