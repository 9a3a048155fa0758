import AMQP
import Foundation
import JobRuntime
import Logging
import Postgres

/// Canary jobs through the full runtime: `itp-canary-worker` processes claim each job in
/// a transaction, run the (empty) canary handler, commit success with its result row,
/// then ack; their outbox relays publish the jobs' messages.
///
/// The jobs (job row + outbox row) are enqueued before the clock starts: enqueueing is the
/// producer's cost, reported apart. Publishing the outbox is inside the clock — the relay
/// is part of the runtime — unless `prepublished`, where a relay in this process publishes
/// everything first, so that the queue holds every message at the start, as in the baseline.
struct RuntimeScenario {
    var settings: ScenarioSettings
    var broker: AMQPConnection
    var logger: Logger

    struct Enqueued {
        var jobs: Int
        var seconds: Double
    }

    func run(workers: Int, round: Int, prepublished: Bool) async throws -> (Measurement, Enqueued) {
        let schema = try await BenchSchema.create(
            databaseURL: settings.databaseURL, label: "rt\(workers)", migrations: settings.migrations, logger: logger)
        let queueName = "bench.runtime.\(schema.name)"
        let queue = Topology.WorkQueue(name: queueName, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [queueName])
        // Declared here too, so no relay can publish before its queue exists (an unroutable
        // message is held back for 5 s); the workers' `--declare` is then a no-op.
        let topology = Topology(workQueues: [queue])
        try await topology.declare(on: broker)
        let database = PostgresClient(conninfo: schema.conninfo, maxConnections: 2, logger: logger)
        do {
            let result = try await measure(
                workers: workers, round: round, prepublished: prepublished, schema: schema, queue: queue, database: database)
            await cleanUp(schema: schema, topology: topology, database: database)
            return result
        } catch {
            await cleanUp(schema: schema, topology: topology, database: database)
            throw error
        }
    }

    private func measure(
        workers: Int, round: Int, prepublished: Bool, schema: BenchSchema, queue: Topology.WorkQueue, database: PostgresClient
    ) async throws -> (Measurement, Enqueued) {
        let enqueued = try await enqueue(settings.items, queue: queue, database: database)
        if prepublished {
            var configuration = OutboxRelay.Configuration(listenConninfo: schema.conninfo)
            configuration.batchSize = 500
            let relay = OutboxRelay(configuration: configuration, database: database, broker: broker, logger: logger)
            while try await relay.relayBatch() > 0 {}
        }

        let databaseStart = try await CompletionWatch.databaseNow(database)
        var processes: [ChildProcess] = []
        for index in 0..<workers {
            processes.append(try ChildProcess(
                executable: settings.workerBinary,
                arguments: [
                    "--database-url", schema.conninfo, "--amqp-url", settings.amqpURL, "--queue", queue.name,
                    "--prefetch", "\(settings.prefetch)", "--inline-batch-limit", "\(settings.inlineBatchLimit)", "--declare", "--delivery-limit", "\(queue.deliveryLimit)",
                    "--storage-url", "file:///tmp/itp-bench-unused", "--observability-addr", "127.0.0.1:0",
                ],
                logURL: settings.logURL("runtime-r\(round)-w\(workers)\(prepublished ? "-pre" : "")-\(index)")))
        }
        // Every job was queued before the spawn, so "no open job" means all are finished;
        // the open-jobs partial index keeps this poll cheap.
        let outcome = await CompletionWatch.wait(
            until: "SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE state IN ('queued', 'running', 'retrying'))",
            on: database, processes: processes, timeout: settings.timeout,
            progress: "SELECT count(*)::int8 FROM jobs WHERE state = 'succeeded'")
        await ChildProcess.stopAll(processes)

        var measurement = Measurement(
            mode: prepublished ? .runtimePrepublished : .runtime, processes: workers, round: round, expected: settings.items)
        measurement.failure = outcome.failure
        guard outcome.failure == nil else { return (measurement, enqueued) }
        let row = try await database.withConnection { connection in
            try connection.query("""
                SELECT count(*) FILTER (WHERE state = 'succeeded')::int8,
                       extract(epoch FROM min(started_at))::float8, extract(epoch FROM max(finished_at))::float8,
                       (SELECT extract(epoch FROM max(published_at))::float8 FROM outbox),
                       (SELECT count(*)::int8 FROM job_attempts) - count(*)
                FROM jobs
                """)[0]
        }
        let (succeeded, firstStart, lastFinish, lastPublished, extraAttempts) = try row.decode((Int, Double, Double, Double?, Int).self)
        if succeeded != settings.items {
            measurement.failure = "\(succeeded) of \(settings.items) jobs succeeded; the others failed"
        }
        measurement.startupSeconds = firstStart - databaseStart
        measurement.seconds = lastFinish - databaseStart
        if !prepublished {
            measurement.relayDoneSeconds = lastPublished.map { $0 - databaseStart }
        }
        measurement.extraAttempts = extraAttempts
        return (measurement, enqueued)
    }

    /// Job + outbox rows, 500 jobs per transaction, as a producer would write them.
    private func enqueue(_ count: Int, queue: Topology.WorkQueue, database: PostgresClient) async throws -> Enqueued {
        let payload = try JSONEncoder().encode(CanaryHandler.Payload())
        let start = ContinuousClock.now
        var remaining = count
        while remaining > 0 {
            let batch = min(500, remaining)
            let requests = (0..<batch).map { _ in JobRequest(kind: CanaryHandler.kind, queue: queue, payload: payload) }
            try await database.withTransaction { connection in
                for request in requests { try request.enqueue(on: connection) }
            }
            remaining -= batch
        }
        return Enqueued(jobs: count, seconds: (ContinuousClock.now - start).seconds)
    }

    private func cleanUp(schema: BenchSchema, topology: Topology, database: PostgresClient) async {
        await database.shutdown()
        for queue in topology.queues { _ = try? await broker.deleteQueue(name: queue.name) }
        await schema.drop(databaseURL: settings.databaseURL, logger: logger)
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
