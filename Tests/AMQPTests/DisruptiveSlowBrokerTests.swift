import AMQP
import FleetTesting
import Testing

/// A broker that is slow to answer (a quorum queue declared on a loaded node: the cause of
/// `aLongJobKeepsItsConnectionAndItsAckCounts` failing once at load 5 with "queue.declare:
/// request timed out"). Stalls the shared broker with SIGSTOP, so it runs in the serial
/// phase. The heartbeat is long enough that the stall itself is not a dead peer.
@Suite(.serialized) struct DisruptiveSlowBrokerTests {
    /// Longer than the blocking RPC timeout the loop used to have (half the 20 s stall
    /// timeout), shorter than the operation timeout.
    static let stall: Duration = .seconds(13)

    @Test func aSlowAnswerCostsNeitherTheConnectionNorTheMethodsBehindIt() async throws {
        let connection = try await connect("slow-answer") { $0.heartbeat = .seconds(60) }
        let queue = uniqueName("amqp_slow")
        let consumed = uniqueName("amqp_slow_consumed")
        try await connection.declareQueue(name: consumed, arguments: quorumArguments)
        let inbox = Inbox(try await connection.consume(queue: consumed, prefetch: 1))
        try await connection.publish(exchange: "", routingKey: consumed, body: bytes("held"))
        try await waitUntil("the held delivery") { inbox.count == 1 }
        let generation = connection.generation

        try TestEnvironment.require().servers("broker-pause")
        let resumed = Task {
            try await Task.sleep(for: Self.stall)
            try TestEnvironment.require().servers("broker-resume")
        }
        // Sent while the broker cannot answer; the second waits behind the first.
        async let declared = connection.declareQueue(name: queue, arguments: quorumArguments)
        async let probed = connection.declareQueue(name: consumed, passive: true)
        let (first, second) = try await (declared, probed)
        try await resumed.value

        #expect(first.name == queue)
        #expect(second.name == consumed)
        #expect(connection.generation == generation)
        #expect(connection.isConnected)
        // The delivery taken before the stall is still ackable on the same channel.
        try await connection.ack(inbox.deliveries[0])
        try await connection.deleteQueue(name: queue)
        try await connection.deleteQueue(name: consumed)
        await connection.close()
    }

    @Test func anAnswerThatNeverComesInTimeFailsOnlyItsCaller() async throws {
        let connection = try await connect("no-answer") {
            $0.heartbeat = .seconds(60)
            $0.operationTimeout = .seconds(3)
        }
        let generation = connection.generation
        let queue = uniqueName("amqp_late")

        try TestEnvironment.require().servers("broker-pause")
        defer { try? TestEnvironment.require().servers("broker-resume") }
        let error = await #expect(throws: AMQPError.self) {
            try await connection.declareQueue(name: queue, arguments: quorumArguments)
        }
        #expect(error?.code == .operationTimeout)
        // Let the loop give up on the answer (one more operation timeout), then resume.
        try await Task.sleep(for: .seconds(4))
        try TestEnvironment.require().servers("broker-resume")

        // The late answer arrives on the abandoned channel and is ignored; the next method
        // goes out on a fresh channel of the same connection.
        try await waitUntil("a declare answers after the stall", timeout: .seconds(60), poll: .milliseconds(500)) {
            do {
                return try await connection.declareQueue(name: queue, arguments: quorumArguments).name == queue
            } catch let error as AMQPError where error.code == .operationTimeout {
                return false
            }
        }
        #expect(connection.generation == generation)
        #expect(try await connection.declareQueue(name: queue, passive: true).messageCount == 0)
        try await connection.deleteQueue(name: queue)
        await connection.close()
    }
}
