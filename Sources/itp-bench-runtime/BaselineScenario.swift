import AMQP
import Foundation
import JobRuntime
import Logging
import Postgres

/// The baseline: the least a reliable consumer does per message — consume, one Postgres
/// transaction inserting the message id into an inbox table, ack — over the same servers.
///
/// Fair by construction: the same number of processes as the runtime has workers, each
/// with one AMQP connection (same wrapper) and the same prefetch, up to `prefetch`
/// messages in flight on a pool of Postgres connections (same wrapper); the same quorum
/// queue arguments and the same message bodies (canary job envelopes). The messages are
/// published with confirms before the clock starts.
struct BaselineScenario {
    var settings: ScenarioSettings
    var broker: AMQPConnection
    var logger: Logger

    static let inboxTable = """
        CREATE TABLE inbox (
            message_id  uuid PRIMARY KEY,
            received_at timestamptz NOT NULL DEFAULT now()
        )
        """

    func run(consumers: Int, round: Int) async throws -> Measurement {
        let schema = try await BenchSchema.create(
            databaseURL: settings.databaseURL, label: "bl\(consumers)", migrations: [], extraSQL: Self.inboxTable, logger: logger)
        let queueName = "bench.baseline.\(schema.name)"
        let queue = Topology.WorkQueue(name: queueName, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [queueName])
        let topology = Topology(workQueues: [queue])
        try await topology.declare(on: broker)
        let database = PostgresClient(conninfo: schema.conninfo, maxConnections: 2, logger: logger)
        do {
            let result = try await measure(consumers: consumers, round: round, schema: schema, queue: queue, database: database)
            await cleanUp(schema: schema, topology: topology, database: database)
            return result
        } catch {
            await cleanUp(schema: schema, topology: topology, database: database)
            throw error
        }
    }

    private func measure(
        consumers: Int, round: Int, schema: BenchSchema, queue: Topology.WorkQueue, database: PostgresClient
    ) async throws -> Measurement {
        try await publish(settings.items, queue: queue)

        let databaseStart = try await CompletionWatch.databaseNow(database)
        var processes: [ChildProcess] = []
        for index in 0..<consumers {
            processes.append(try ChildProcess(
                executable: settings.harnessBinary,
                arguments: [
                    "baseline-consumer", "--database-url", schema.conninfo, "--amqp-url", settings.amqpURL,
                    "--queue", queue.name, "--prefetch", "\(settings.prefetch)",
                    "--database-connections", "\(settings.baselineDatabaseConnections)",
                ],
                logURL: settings.logURL("baseline-r\(round)-c\(consumers)-\(index)")))
        }
        let outcome = await CompletionWatch.wait(
            until: "SELECT count(*) >= \(settings.items) FROM inbox", on: database, processes: processes,
            timeout: settings.timeout, progress: "SELECT count(*)::int8 FROM inbox")
        await ChildProcess.stopAll(processes)

        var measurement = Measurement(mode: .baseline, processes: consumers, round: round, expected: settings.items)
        measurement.failure = outcome.failure
        guard outcome.failure == nil else { return measurement }
        let row = try await database.withConnection { connection in
            try connection.query("""
                SELECT extract(epoch FROM min(received_at))::float8, extract(epoch FROM max(received_at))::float8 FROM inbox
                """)[0]
        }
        let (firstReceived, lastReceived) = try row.decode((Double, Double).self)
        measurement.startupSeconds = firstReceived - databaseStart
        measurement.seconds = lastReceived - databaseStart
        return measurement
    }

    /// The same bodies and headers as the runtime's job messages, persistent, mandatory,
    /// confirmed in batches of 500.
    private func publish(_ count: Int, queue: Topology.WorkQueue) async throws {
        let payload = try JSONEncoder().encode(CanaryHandler.Payload())
        var remaining = count
        while remaining > 0 {
            let batch = min(500, remaining)
            let messages = try (0..<batch).map { _ in
                let outbox = try JobRequest(kind: CanaryHandler.kind, queue: queue, payload: payload).message()
                var headers = AMQPTable()
                for (key, value) in outbox.headers.sorted(by: { $0.key < $1.key }) { headers[key] = .string(value) }
                return AMQPMessage(
                    exchange: outbox.exchange, routingKey: outbox.routingKey, body: outbox.body,
                    properties: AMQPProperties(
                        contentType: outbox.contentType, messageID: UUID().uuidString.lowercased(),
                        correlationID: outbox.jobID?.uuidString.lowercased(), headers: headers),
                    mandatory: true)
            }
            for result in try await broker.publish(messages) { try result.get() }
            remaining -= batch
        }
    }

    private func cleanUp(schema: BenchSchema, topology: Topology, database: PostgresClient) async {
        await database.shutdown()
        for queue in topology.queues { _ = try? await broker.deleteQueue(name: queue.name) }
        await schema.drop(databaseURL: settings.databaseURL, logger: logger)
    }
}
