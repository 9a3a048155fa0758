import AMQP
import DesignProviders
import DesignWorker
import FleetTesting
import Foundation
import JobRuntime
import Logging
import Postgres
import ProductFlow
import Schema
import ServiceLifecycle
import Storage

/// One test's world: its own migrated schema, its own design queue (with delay and
/// dead-letter queues), a storage directory, and the design handler run in-process by a
/// real `WorkerService` plus an `OutboxRelay` — the same pieces `WorkerDaemon` assembles.
final class DesignFixture: Sendable {
    let env: TestEnvironment
    let schema: String
    let conninfo: String
    let database: PostgresClient
    let broker: AMQPConnection
    let queue: Topology.WorkQueue
    let storage: LocalDirectoryStorage
    let logger = Logger(label: "test.design") { _ in SwiftLogNoOpLogHandler() }

    static func make() async throws -> DesignFixture {
        let env = try TestEnvironment.require()
        let migrated = try await MigratedSchema.create("design")
        let schema = migrated.name
        let conninfo = migrated.conninfo

        let name = uniqueName("design_generate")
        let queue = Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
        let broker = try await AMQPConnection.connect(
            configuration: try AMQPConfiguration(url: env.amqpURL), logger: Logger(label: "test.amqp") { _ in SwiftLogNoOpLogHandler() })
        try await Topology(workQueues: [queue]).declare(on: broker)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("itp-design-assets")).path
        return DesignFixture(env: env, schema: schema, conninfo: conninfo, broker: broker, queue: queue, root: root)
    }

    private init(env: TestEnvironment, schema: String, conninfo: String, broker: AMQPConnection, queue: Topology.WorkQueue, root: String) {
        self.env = env
        self.schema = schema
        self.conninfo = conninfo
        self.database = PostgresClient(conninfo: conninfo, maxConnections: 4, logger: Logger(label: "test.db") { _ in SwiftLogNoOpLogHandler() })
        self.broker = broker
        self.queue = queue
        self.storage = LocalDirectoryStorage(root: root)
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
        try? FileManager.default.removeItem(atPath: storage.root)
    }

    /// An owner and a product in `status`, as the intake would create it.
    func createProduct(status: ProductStatus = .draft, iteration: Int = 1) async throws -> UUID {
        try await database.withTransaction { connection in
            let owner = try connection.query("INSERT INTO owners (name) VALUES (\(uniqueName("owner"))) RETURNING id")[0].decode(UUID.self, at: 0)
            return try connection.query("""
                INSERT INTO products (owner_id, status, prompt, product_type, shirt_color, iteration)
                VALUES (\(owner), \(status.rawValue)::product_status, 'a lighthouse at dusk', 'tshirt', 'black', \(iteration))
                RETURNING id
                """)[0].decode(UUID.self, at: 0)
        }
    }

    /// A design job for `product` (job row + outbox row in one transaction).
    func enqueueDesign(_ payload: DesignJobPayload, maxAttempts: Int = 5) async throws -> UUID {
        let request = JobRequest(
            kind: JobKinds.designGenerate, queue: queue, payload: try JSONEncoder().encode(payload),
            productID: payload.productID, iteration: payload.iteration, maxAttempts: maxAttempts)
        return try await database.withTransaction { try request.enqueue(on: $0) }
    }

    func payload(_ product: UUID, iteration: Int = 1, candidates: Int = 4, feedback: String? = nil, reference: UUID? = nil) -> DesignJobPayload {
        DesignJobPayload(
            productID: product, iteration: iteration, candidates: candidates, prompt: "a lighthouse at dusk", productType: "tshirt",
            shirtColor: "black", feedback: feedback, referenceAssetID: reference, seed: 42)
    }

    /// Runs a worker with `provider` on this fixture's queue while `body` runs, then shuts
    /// it down gracefully (stop consuming, finish, ack).
    func withWorker<T: Sendable>(
        provider: any ImageProvider, configuration: DesignWorkerConfiguration = .forTests, storage: (any AssetStorage)? = nil,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let handler = DesignJobHandler(
            provider: provider, storage: storage ?? self.storage, database: database, configuration: configuration, logger: logger)
        var workerConfiguration = WorkerService.Configuration(queue: queue)
        workerConfiguration.prefetch = 2
        workerConfiguration.defaultRetryPolicy = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(50))
        let worker = WorkerService(configuration: workerConfiguration, handler: handler, database: database, broker: broker, logger: logger)
        let relay = OutboxRelay(configuration: .init(listenConninfo: conninfo), database: database, broker: broker, logger: logger)
        let group = ServiceGroup(services: [relay, worker], logger: logger)
        let running = Task { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await running.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
    }

    struct JobRow: Sendable {
        var state: String
        var attempts: Int
        var errorClass: String?
        var lastError: String?
        var failureStage: String?
        var costUnits: Int
    }

    func job(_ id: UUID) async throws -> JobRow {
        try await database.withConnection { connection in
            let row = try connection.query("""
                SELECT state::text, attempts, error_class::text, last_error, failure_stage, cost_units FROM jobs WHERE id = \(id)
                """)[0]
            return JobRow(
                state: try row.decode(String.self, at: 0), attempts: try row.decode(Int.self, at: 1),
                errorClass: try row.decode(String?.self, at: 2), lastError: try row.decode(String?.self, at: 3),
                failureStage: try row.decode(String?.self, at: 4), costUnits: try row.decode(Int.self, at: 5))
        }
    }

    func waitForState(_ id: UUID, _ state: String, timeout: Duration = .seconds(180)) async throws {
        try await waitUntil("job \(id) to be \(state)", timeout: timeout, poll: .milliseconds(100)) {
            try await self.job(id).state == state
        }
    }

    func count(_ sql: SQL) async throws -> Int {
        try await database.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }

    func productStatus(_ id: UUID) async throws -> String {
        try await database.withConnection { try $0.query("SELECT status::text FROM products WHERE id = \(id)")[0].decode(String.self, at: 0) }
    }

    /// Every file under the job's storage directory (names only, sorted).
    func files(product: UUID, iteration: Int, job: UUID) throws -> [String] {
        let directory = storage.root + "/products/\(product.uuidString.lowercased())/designs/\(iteration)/\(job.uuidString.lowercased())"
        return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }
}

extension DesignWorkerConfiguration {
    /// Production settings with a smaller requested image and a 3×4 in print area (still
    /// 300 DPI), so the many candidates of the job tests stay quick in a debug build. The
    /// full 3600×4800 print file is checked once, in `DesignRendererTests`.
    static var forTests: DesignWorkerConfiguration {
        var configuration = DesignWorkerConfiguration()
        configuration.imageSize = 256
        configuration.dtf.printWidthInches = 3
        configuration.dtf.printHeightInches = 4
        return configuration
    }
}
