import AMQP
import Finalizer
import FleetTesting
import Foundation
import Imaging
import JobRuntime
import Logging
import Mockups
import MockupWorker
import PNG
import Postgres
import ProductFlow
import Schema
import Storage

/// One test's world: its own migrated schema, its own work queue, its own storage
/// directory, a mockup worker running in-process on that queue, and builders for products
/// with a primary design.
final class MockupFixture: Sendable {
    let env: TestEnvironment
    let schema: String
    let conninfo: String
    let database: PostgresClient
    let broker: AMQPConnection
    let queue: Topology.WorkQueue
    let storage: LocalDirectoryStorage
    let logger = Logger(label: "test.mockup")

    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templatesDirectory = repository.appendingPathComponent("templates").path

    static func make() async throws -> MockupFixture {
        let env = try TestEnvironment.require()
        // libpq blocks: a thread of its own, not the cooperative pool the worker needs.
        let migrated = try await MigratedSchema.create("mock")
        let schema = migrated.name
        let conninfo = migrated.conninfo

        let queueName = uniqueName("mockup")
        let queue = Topology.WorkQueue(name: queueName, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [queueName])
        let broker = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: env.amqpURL), logger: Logger(label: "test.amqp"))
        try await Topology(workQueues: [queue]).declare(on: broker)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("assets")).path
        return MockupFixture(env: env, schema: schema, conninfo: conninfo, broker: broker, queue: queue, storageRoot: root)
    }

    private init(env: TestEnvironment, schema: String, conninfo: String, broker: AMQPConnection, queue: Topology.WorkQueue, storageRoot: String) {
        self.env = env
        self.schema = schema
        self.conninfo = conninfo
        self.database = PostgresClient(conninfo: conninfo, maxConnections: 4, logger: Logger(label: "test.db"))
        self.broker = broker
        self.queue = queue
        self.storage = LocalDirectoryStorage(root: storageRoot)
    }

    /// Stops `tasks` (workers, recorders) first, so no consumer sees its queue deleted.
    func tearDown(stopping tasks: [Task<Void, Never>] = []) async {
        for task in tasks {
            task.cancel()
            await task.value
        }
        for name in [queue.name, queue.deadLetterQueue] + Topology.delayTiers.map(queue.delayQueue) {
            _ = try? await broker.deleteQueue(name: name)
        }
        await broker.close()
        await database.shutdown()
        try? FileManager.default.removeItem(atPath: storage.root)
        let (url, schema) = (env.databaseURL, self.schema)
        _ = try? await offPool {
            let admin = try PostgresConnection.connect(url)
            defer { admin.close() }
            try admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
    }

    // MARK: - Running jobs

    /// Runs a worker for `kind` on this fixture's queue until the returned task is cancelled.
    /// `on`: another queue of this test (``declareQueue()``), for a second worker kind.
    func startWorker(_ kind: MockupKind, renderer: MockupRenderer = MockupRenderer(), on other: Topology.WorkQueue? = nil) throws -> Task<Void, Never> {
        let handler = MockupJobHandler(kind: kind, catalog: try TemplateCatalog(directory: Self.templatesDirectory),
                                       renderer: renderer, storage: storage, database: database, logger: logger)
        var configuration = WorkerService.Configuration(queue: other ?? queue)
        configuration.defaultRetryPolicy = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(50))
        let worker = WorkerService(configuration: configuration, handler: handler, database: database, broker: broker, logger: logger)
        return Task { try? await worker.run() }
    }

    /// Runs the dead-letter recorder of this fixture's queue with the mockup failure hook.
    func startFailureRecorder() -> Task<Void, Never> {
        let recorder = DeadLetterRecorder(queues: [queue], database: database, broker: broker, logger: logger,
                                          hook: MockupFailureRecorder(logger: logger).hook)
        return Task { try? await recorder.run() }
    }

    /// A second work queue for this test; the caller deletes it (``deleteQueue(_:)``).
    func declareQueue() async throws -> Topology.WorkQueue {
        let name = uniqueName("mockup")
        let other = Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
        try await Topology(workQueues: [other]).declare(on: broker)
        return other
    }

    func deleteQueue(_ other: Topology.WorkQueue) async {
        for name in [other.name, other.deadLetterQueue] + Topology.delayTiers.map(other.delayQueue) {
            _ = try? await broker.deleteQueue(name: name)
        }
    }

    func request(
        _ kind: MockupKind, _ product: Product, selectionVersion: Int? = nil, placement: PrintPlacement? = nil, on other: Topology.WorkQueue? = nil
    ) throws -> JobRequest {
        let version = selectionVersion ?? product.selectionVersion
        let payload = MockupJobPayload(productID: product.id, selectionVersion: version, designAssetID: product.designID,
                                       productType: product.type, shirtColor: product.color, placement: placement)
        return JobRequest(kind: kind.jobKind, queue: other ?? queue, payload: try JSONEncoder().encode(payload), productID: product.id,
                          selectionVersion: version, maxAttempts: 3)
    }

    /// Enqueues the job (job row + outbox row) and publishes it.
    @discardableResult
    func enqueue(_ request: JobRequest) async throws -> UUID {
        let id = try await database.withTransaction { try request.enqueue(on: $0) }
        try await relayJobMessages()
        return id
    }

    /// Publishes the outbox's job and dead-letter messages. Events stay unpublished: this
    /// fixture has no finalizer queue, and the shared broker's may belong to someone else.
    func relayJobMessages() async throws {
        try await database.withConnection { connection in
            try connection.execute("UPDATE outbox SET published_at = now() WHERE exchange = \(Topology.eventsExchange) AND published_at IS NULL")
        }
        let relay = OutboxRelay(configuration: .init(listenConninfo: conninfo), database: database, broker: broker, logger: logger)
        while try await relay.relayBatch() > 0 {}
    }

    func waitForState(_ id: UUID, _ state: String, timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("job \(id) to be \(state)", timeout: timeout) {
            try await self.count("SELECT count(*) FROM jobs WHERE id = \(id) AND state = \(state)::job_state") == 1
        }
    }

    func count(_ sql: SQL) async throws -> Int {
        try await database.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }

    func text(_ sql: SQL) async throws -> String? {
        try await database.withConnection { try $0.query(sql).first?.decode(String?.self, at: 0) }
    }

    // MARK: - Products

    struct Product: Sendable {
        var id: UUID
        var designID: UUID
        var designKey: StorageKey
        var type: String
        var color: String
        var selectionVersion: Int
    }

    /// A product in `generating_mockups` with one primary design (stored unless `store` is false).
    func product(type: String = "tshirt", color: String = "black", design: [UInt8]? = nil, store: Bool = true,
                 selectionVersion: Int = 1) async throws -> Product {
        let bytes = try design ?? Self.design(width: 450, height: 540)
        let owner = uniqueName("owner")
        let ids = try await database.withTransaction { connection -> (UUID, UUID) in
            let ownerID = try connection.query("INSERT INTO owners (name) VALUES (\(owner)) RETURNING id")[0].decode(UUID.self, at: 0)
            let productID = try connection.query("""
                INSERT INTO products (owner_id, status, prompt, product_type, shirt_color, selection_version)
                VALUES (\(ownerID), 'generating_mockups', 'a lighthouse at dusk', \(type), \(color), \(selectionVersion))
                RETURNING id
                """)[0].decode(UUID.self, at: 0)
            return (productID, UUID())
        }
        let key = try StorageKey("products/\(ids.0.uuidString.lowercased())/designs/\(ids.1.uuidString.lowercased()).png")
        try await database.withConnection { connection in
            try connection.execute("""
                INSERT INTO product_assets (id, product_id, asset_role, variant, iteration, candidate_index, is_primary_design,
                    is_active, storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(ids.1), \(ids.0), 'design', 'dtf', 1, 0, true, true, \(key.rawValue), 'image/png', 450, 540,
                    \(bytes.count), \(ContentDigest.sha256(bytes)))
                """)
        }
        if store { try await storage.put(key, bytes: bytes, contentType: "image/png") }
        return Product(id: ids.0, designID: ids.1, designKey: key, type: type, color: color, selectionVersion: selectionVersion)
    }

    /// A new selection: another candidate becomes the primary design and the version moves on.
    func reselect(_ product: Product) async throws {
        try await database.withTransaction { connection in
            try connection.execute("UPDATE product_assets SET is_primary_design = false, is_active = false WHERE id = \(product.designID)")
            try connection.execute("""
                INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, is_primary_design,
                    is_active, storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(product.id), 'design', 'dtf', 1, 1, true, true, \(product.designKey.rawValue + ".2"), 'image/png',
                    450, 540, 1, \(ContentDigest.sha256([1])))
                """)
            try connection.execute("UPDATE products SET selection_version = selection_version + 1 WHERE id = \(product.id)")
        }
    }

    /// An RGBA design with a gradient and transparent corners, so compositing has work to do.
    static func design(width: Int, height: Int) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * width + x) * 4
                pixels[offset] = UInt8(x * 255 / width)
                pixels[offset + 1] = UInt8(y * 255 / height)
                pixels[offset + 2] = 180
                let corner = (x < width / 8 || x >= width * 7 / 8) && (y < height / 8 || y >= height * 7 / 8)
                pixels[offset + 3] = corner ? 0 : 255
            }
        }
        return try PNGEncoder.encode(Image(width: width, height: height, format: .rgba8, pixels: pixels),
                                     options: EncodingOptions(compressionLevel: 1, filters: .sub, strategy: .rle))
    }
}
