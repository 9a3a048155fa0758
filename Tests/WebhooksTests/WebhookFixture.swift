import AMQP
import AssetImages
import FleetTesting
import Foundation
import HTTPTransport
import JobRuntime
import Logging
import Postgres
import ProductFlow
import Schema
import Webhooks

/// One test's world: its own migrated schema, its own queue (the deliveries the product
/// transitions enqueue for `webhook.deliver` are moved onto it before they are relayed, so
/// no other test's consumer sees them), and a webhook worker running in-process on it with
/// loopback allowed.
final class WebhookFixture: Sendable {
    let env: TestEnvironment
    let schema: String
    let conninfo: String
    let database: PostgresClient
    let broker: AMQPConnection
    let queue: Topology.WorkQueue
    let signer = ImageURLSigner(secret: "webhook-tests-image-url-secret-0123456789")
    let logger = Logger(label: "test.webhooks")

    static func make() async throws -> WebhookFixture {
        let env = try TestEnvironment.require()
        let migrated = try await MigratedSchema.create("hook")
        let name = uniqueName("webhook")
        let queue = Topology.WorkQueue(name: name, deliveryLimit: 10, exchange: Topology.jobsExchange, bindingKeys: [name])
        let broker = try await AMQPConnection.connect(configuration: try AMQPConfiguration(url: env.amqpURL), logger: Logger(label: "test.amqp"))
        try await Topology(workQueues: [queue]).declare(on: broker)
        return WebhookFixture(env: env, migrated: migrated, broker: broker, queue: queue)
    }

    private init(env: TestEnvironment, migrated: MigratedSchema, broker: AMQPConnection, queue: Topology.WorkQueue) {
        self.env = env
        self.schema = migrated.name
        self.conninfo = migrated.conninfo
        self.database = PostgresClient(conninfo: migrated.conninfo, maxConnections: 8, logger: Logger(label: "test.db"))
        self.broker = broker
        self.queue = queue
    }

    static func with(_ body: (WebhookFixture) async throws -> Void) async throws {
        let fixture = try await make()
        var tasks: [Task<Void, Never>] = []
        do {
            tasks = [try fixture.startWorker(), fixture.startDeadLetterRecorder(), fixture.startRelay()]
            try await body(fixture)
        } catch {
            await fixture.tearDown(stopping: tasks)
            throw error
        }
        await fixture.tearDown(stopping: tasks)
    }

    func tearDown(stopping tasks: [Task<Void, Never>]) async {
        for task in tasks {
            task.cancel()
            await task.value
        }
        for name in [queue.name, queue.deadLetterQueue] + Topology.delayTiers.map(queue.delayQueue) {
            _ = try? await broker.deleteQueue(name: name)
        }
        await broker.close()
        await database.shutdown()
        let (url, schema) = (env.databaseURL, self.schema)
        _ = try? await offPool {
            let admin = try PostgresConnection.connect(url)
            defer { admin.close() }
            try admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
    }

    /// The webhook worker as `itp-webhook-worker` runs it, with test-sized delays and timeout.
    func startWorker(timeout: Duration = .seconds(30)) throws -> Task<Void, Never> {
        let client = HTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(5), totalTimeout: timeout, maxResponseBytes: WebhookDeliveryHandler.maxResponseBytes))
        let handler = WebhookDeliveryHandler(
            database: database, client: client, policy: DestinationPolicy(allowed: [.loopback]), signer: signer, logger: logger)
        var configuration = WorkerService.Configuration(queue: queue)
        configuration.prefetch = 8
        configuration.inlineBatchLimit = 1
        configuration.defaultRetryPolicy = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(200), maxDelay: .seconds(2))
        let worker = WorkerService(configuration: configuration, handler: handler, database: database, broker: broker, logger: logger)
        return Task { try? await worker.run() }
    }

    func startDeadLetterRecorder() -> Task<Void, Never> {
        let recorder = DeadLetterRecorder(queues: [queue], database: database, broker: broker, logger: logger)
        return Task { try? await recorder.run() }
    }

    /// The outbox relay of this schema, running as in every daemon: it publishes the
    /// deliveries, their retries (parked in delay queues) and dead letters.
    func startRelay() -> Task<Void, Never> {
        let relay = OutboxRelay(configuration: .init(listenConninfo: conninfo), database: database, broker: broker, logger: logger)
        return Task { try? await relay.run() }
    }

    /// Moves new `webhook.deliver` jobs and their messages onto this fixture's queue; called
    /// in the transaction that wrote them, so the relay never sees the production name.
    func retarget(on connection: PostgresConnection) throws {
        try connection.execute("UPDATE jobs SET queue = \(queue.name) WHERE queue = \(ProductQueues.webhookDeliver.name)")
        try connection.execute("""
            UPDATE outbox SET routing_key = \(queue.name)
            WHERE routing_key = \(ProductQueues.webhookDeliver.name) AND published_at IS NULL
            """)
    }

    // MARK: - Rows

    struct Shop: Sendable {
        var owner: UUID
        var endpoint: UUID
        var secret: String
    }

    /// An owner with one endpoint at `url` subscribed to `types`.
    func shop(url: String, types: [WebhookEventType] = WebhookEventType.allCases) async throws -> Shop {
        let secret = WebhookSignature.newSecret()
        let name = uniqueName("shop")
        return try await database.withTransaction { connection in
            let owner = try connection.query("INSERT INTO owners (name) VALUES (\(name)) RETURNING id")[0].decode(UUID.self, at: 0)
            let endpoint = try connection.query("""
                INSERT INTO webhook_endpoints (owner_id, url, event_types, secret) VALUES (\(owner), \(url), \(types.map(\.rawValue)), \(secret))
                RETURNING id
                """)[0].decode(UUID.self, at: 0)
            return Shop(owner: owner, endpoint: endpoint, secret: secret)
        }
    }

    /// A product of `shop` in `generating_mockups` with an active primary design and both
    /// active mockups of selection 1 (rows only: deliveries read ids, not blobs).
    func readyToPromote(_ shop: Shop) async throws -> (product: UUID, assets: [UUID]) {
        try await database.withTransaction { connection in
            let product = try connection.query("""
                INSERT INTO products (owner_id, status, prompt, product_type, shirt_color, selection_version)
                VALUES (\(shop.owner), 'generating_mockups', 'a lighthouse at dusk', 'tshirt', 'black', 1) RETURNING id
                """)[0].decode(UUID.self, at: 0)
            let designKey = "products/\(product)/design-\(UUID()).png"
            let design = try connection.query("""
                INSERT INTO product_assets (product_id, asset_role, variant, iteration, candidate_index, is_primary_design, is_active,
                    storage_key, content_type, width, height, byte_size, sha256)
                VALUES (\(product), 'design', 'dtf', 1, 0, true, true, \(designKey), 'image/png', 64, 64, 10,
                    sha256(convert_to(\(designKey), 'UTF8')))
                RETURNING id
                """)[0].decode(UUID.self, at: 0)
            var assets = [design]
            for role in ["mockup_flat_lay", "mockup_mr_imagine"] {
                let key = "products/\(product)/\(role)-\(UUID()).png"
                assets.append(try connection.query("""
                    INSERT INTO product_assets (product_id, asset_role, source_asset_id, selection_version, is_active,
                        storage_key, content_type, width, height, byte_size, sha256)
                    VALUES (\(product), \(role)::asset_role, \(design), 1, true, \(key), 'image/png', 64, 64, 10,
                        sha256(convert_to(\(key), 'UTF8')))
                    RETURNING id
                    """)[0].decode(UUID.self, at: 0))
            }
            return (product, assets)
        }
    }

    /// Moves the product through the one status writer, as the finalizer would.
    func move(_ product: UUID, to status: ProductStatus, reason: String? = nil) async throws {
        let outcome = try await database.withTransaction { connection in
            let outcome = try ProductTransition.move(product, to: status, failureReason: reason, on: connection)
            try self.retarget(on: connection)
            return outcome
        }
        guard case .changed = outcome else { throw TestEnvironmentError("transition to \(status) was \(outcome)") }
    }

    func delivery(of endpoint: UUID) async throws -> (id: UUID, job: UUID)? {
        try await database.withConnection { connection in
            try connection.query("""
                SELECT id, job_id FROM webhook_deliveries WHERE endpoint_id = \(endpoint) ORDER BY created_at DESC LIMIT 1
                """).first.map { (try $0.decode(UUID.self, column: "id"), try $0.decode(UUID.self, column: "job_id")) }
        }
    }

    func count(_ sql: SQL) async throws -> Int {
        try await database.withConnection { try $0.query(sql)[0].decode(Int.self, at: 0) }
    }
}
