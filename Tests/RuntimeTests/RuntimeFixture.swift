import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Logging
import Postgres
import Schema

/// One test's world: its own migrated schema, its own work queue (with delay and
/// dead-letter queues), and helpers to enqueue canary jobs, spawn real worker processes
/// and read job rows.
final class RuntimeFixture: Sendable {
    let env: TestEnvironment
    let schema: String
    let conninfo: String
    let database: PostgresClient
    let broker: AMQPConnection
    let queue: Topology.WorkQueue
    /// The broker the fixture and its workers use: the private single node, or a list.
    let amqpURL: String
    let logger = Logger(label: "test.runtime")

    /// `amqpURL` defaults to the private single node (a cluster's address list for cluster
    /// tests), `databaseURL` to the private Postgres (a primary/standby pair's for failover tests).
    static func make(deliveryLimit: Int = 10, amqpURL: String? = nil, databaseURL: String? = nil) async throws -> RuntimeFixture {
        let env = try TestEnvironment.require()
        let migrated = try await MigratedSchema.create("rt", databaseURL: databaseURL)
        let schema = migrated.name
        let conninfo = migrated.conninfo

        let queueName = uniqueName("canary")
        let queue = Topology.WorkQueue(name: queueName, deliveryLimit: deliveryLimit, exchange: Topology.jobsExchange, bindingKeys: [queueName])
        let url = amqpURL ?? env.amqpURL
        let broker = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: url), logger: Logger(label: "test.amqp"))
        try await Topology(workQueues: [queue]).declare(on: broker)
        return RuntimeFixture(env: env, schema: schema, conninfo: conninfo, broker: broker, queue: queue, amqpURL: url)
    }

    private init(
        env: TestEnvironment, schema: String, conninfo: String, broker: AMQPConnection, queue: Topology.WorkQueue, amqpURL: String
    ) {
        self.env = env
        self.schema = schema
        self.conninfo = conninfo
        self.database = PostgresClient(conninfo: conninfo, maxConnections: 4, logger: Logger(label: "test.db"))
        self.broker = broker
        self.queue = queue
        self.amqpURL = amqpURL
    }

    func tearDown() async {
        for name in [queue.name, queue.deadLetterQueue] + Topology.delayTiers.map(queue.delayQueue) {
            _ = try? await broker.deleteQueue(name: name)
        }
        await broker.close()
        await database.shutdown()
        if let admin = try? PostgresConnection.connect(env.databaseURL) {
            _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            admin.close()
        }
    }

    /// Enqueues canary jobs (jobs + outbox rows in one transaction).
    @discardableResult
    func enqueue(_ payloads: [CanaryHandler.Payload], maxAttempts: Int = 5) async throws -> [UUID] {
        let queue = self.queue
        let requests = try payloads.map { payload in
            JobRequest(kind: CanaryHandler.kind, queue: queue, payload: try JSONEncoder().encode(payload), maxAttempts: maxAttempts)
        }
        return try await database.withTransaction { connection in
            try requests.map { try $0.enqueue(on: connection) }
        }
    }

    func enqueue(_ payload: CanaryHandler.Payload, maxAttempts: Int = 5) async throws -> UUID {
        try await enqueue([payload], maxAttempts: maxAttempts)[0]
    }

    struct JobRow: Sendable {
        var state: String
        var attempts: Int
        var rateLimitedWaits: Int
        var errorClass: String?
        var lastError: String?
        var failureStage: String?
    }

    func job(_ id: UUID) async throws -> JobRow {
        try await database.withConnection { connection in
            let row = try connection.query("""
                SELECT state::text, attempts, rate_limited_waits, error_class::text, last_error, failure_stage FROM jobs WHERE id = \(id)
                """)[0]
            return JobRow(
                state: try row.decode(String.self, at: 0), attempts: try row.decode(Int.self, at: 1),
                rateLimitedWaits: try row.decode(Int.self, at: 2), errorClass: try row.decode(String?.self, at: 3),
                lastError: try row.decode(String?.self, at: 4), failureStage: try row.decode(String?.self, at: 5))
        }
    }

    func count(_ sql: SQL) async throws -> Int {
        try await database.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }

    func waitForState(_ id: UUID, _ state: String, timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("job \(id) to be \(state)", timeout: timeout) {
            try await self.job(id).state == state
        }
    }

    /// Spawns a real `itp-canary-worker` on this fixture's queue and schema.
    func spawnWorker(
        prefetch: Int = 4, maxAttempts: Int = 5, retryDelayMilliseconds: Int = 50, shutdownGrace: Int = 30,
        observabilityPort: Int = 0, environment: [String: String] = [:]
    ) throws -> WorkerProcess {
        try WorkerProcess(environment: environment, arguments: [
            "--database-url", conninfo, "--amqp-url", amqpURL, "--queue", queue.name,
            "--prefetch", "\(prefetch)", "--max-attempts", "\(maxAttempts)",
            "--retry-initial-delay-ms", "\(retryDelayMilliseconds)", "--delivery-limit", "\(queue.deliveryLimit)",
            "--shutdown-grace", "\(shutdownGrace)", "--storage-url", "file:///tmp/itp-canary-unused",
            "--observability-addr", "127.0.0.1:\(observabilityPort)",
        ])
    }
}

/// A spawned worker process; killed on deinit if still running.
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    let logURL: URL

    init(environment: [String: String] = [:], arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("itp-canary-worker"))
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("canary-worker") + ".log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit and returns its status (or throws after the deadline).
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        try await waitUntil("worker \(process.processIdentifier) to exit", timeout: timeout) { !self.process.isRunning }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logURL)
    }
}
