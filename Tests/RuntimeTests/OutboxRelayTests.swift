import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Logging
import Postgres
import Synchronization
import Testing

/// The relay: many at once publish every row once; a batch the broker does not take stays
/// in the outbox, unlocked, for the next relay.
@Suite struct OutboxRelayTests {
    private let logger = Logger(label: "test.relay")

    @Test func fourRelaysAtOncePublishEveryRowExactlyOnce() async throws {
        let fixture = try await RuntimeFixture.make()
        let ids = try await fixture.enqueue((0..<600).map { CanaryHandler.Payload(echo: "relay \($0)") })

        // Four relays, each with its own connections, racing over the same outbox.
        let clients = (0..<4).map { _ in PostgresClient(conninfo: fixture.conninfo, maxConnections: 2, logger: logger) }
        let published = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in clients {
                group.addTask {
                    var configuration = OutboxRelay.Configuration(listenConninfo: fixture.conninfo)
                    configuration.batchSize = 25
                    let relay = OutboxRelay(configuration: configuration, database: client, broker: fixture.broker, logger: logger)
                    var total = 0
                    while case let count = try await relay.relayBatch(), count > 0 { total += count }
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
        for client in clients { await client.shutdown() }
        #expect(published == 600)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE publish_attempts <> 1") == 0)

        // The queue holds each job's message once.
        let seen = Mutex<[String: Int]>([:])
        let consumer = try await fixture.broker.consume(queue: fixture.queue.name, prefetch: 100)
        let collector = Task {
            for await delivery in consumer.deliveries {
                let jobID = delivery.properties.correlationID ?? "none"
                seen.withLock { $0[jobID, default: 0] += 1 }
                try? await fixture.broker.ack(delivery)
            }
        }
        try await waitUntil("600 messages consumed") { seen.withLock { $0.values.reduce(0, +) } >= 600 }
        // Anything published twice would arrive right behind the rest.
        try await Task.sleep(for: .milliseconds(500))
        try await consumer.cancel()
        collector.cancel()
        let counts = seen.withLock { $0 }
        #expect(counts.count == 600)
        #expect(counts.values.allSatisfy { $0 == 1 })
        #expect(Set(counts.keys) == Set(ids.map { $0.uuidString.lowercased() }))
        await fixture.tearDown()
    }

    @Test func aBatchTheBrokerDoesNotTakeStaysForTheNextRelay() async throws {
        let fixture = try await RuntimeFixture.make()
        try await fixture.enqueue((0..<10).map { CanaryHandler.Payload(echo: "retry \($0)") })

        let closedBroker = try await AMQPConnection.connect(
            configuration: try AMQPConfiguration(url: fixture.env.amqpURL), logger: Logger(label: "test.amqp.closed"))
        await closedBroker.close()
        let failing = OutboxRelay(
            configuration: .init(listenConninfo: fixture.conninfo), database: fixture.database, broker: closedBroker, logger: logger)
        await #expect(throws: (any Error).self) { try await failing.relayBatch() }
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE published_at IS NULL AND last_error IS NOT NULL") == 10)

        // Its locks went with its transaction: a working relay publishes the rows at once.
        let working = OutboxRelay(
            configuration: .init(listenConninfo: fixture.conninfo), database: fixture.database, broker: fixture.broker, logger: logger)
        #expect(try await working.relayBatch() == 10)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0)
        await fixture.tearDown()
    }
}
