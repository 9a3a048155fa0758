import AMQP
import FleetTesting
import Logging
import Foundation
import Synchronization

/// Settings for integration tests: a 2 s heartbeat and quick reconnects.
func testConfiguration(_ name: String, heartbeat: Duration = .seconds(2)) throws -> AMQPConfiguration {
    var configuration = try AMQPConfiguration(url: TestEnvironment.require().amqpURL)
    configuration.heartbeat = heartbeat
    configuration.reconnectInitialDelay = .milliseconds(200)
    configuration.reconnectMaxDelay = .seconds(1)
    configuration.connectionName = name
    return configuration
}

func connect(_ name: String, configure: (inout AMQPConfiguration) -> Void = { _ in }) async throws -> AMQPConnection {
    var configuration = try testConfiguration(name)
    configure(&configuration)
    var logger = Logger(label: "amqp-test")
    logger.logLevel = .warning
    return try await AMQPConnection.connect(configuration: configuration, logger: logger)
}

/// Quorum-queue arguments as the worker fleet declares them.
let quorumArguments: AMQPTable = ["x-queue-type": "quorum"]

/// Collects a consumer's deliveries in one long-lived task (cancelling a task that
/// awaits an AsyncStream would terminate the stream).
final class Inbox: Sendable {
    private let items = Mutex<[AMQPDelivery]>([])

    init(_ consumer: AMQPConsumer) {
        Task { [self] in
            for await delivery in consumer.deliveries { self.items.withLock { $0.append(delivery) } }
        }
    }

    var deliveries: [AMQPDelivery] { items.withLock { $0 } }
    var count: Int { items.withLock { $0.count } }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

