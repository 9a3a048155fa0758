import FleetTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Intake
import Logging
import Mockups
import Postgres
import Schema
import Settings
import Storage

/// One test's world: its own migrated schema, its own asset directory, the real template
/// catalogue, and the intake application built by `buildApplication` over them.
final class IntakeFixture: Sendable {
    let env: TestEnvironment
    let schema: String
    let conninfo: String
    let database: PostgresClient
    let storageRoot: String
    let storage: LocalDirectoryStorage
    let contract: OpenAPIContract
    private let rateLimit: RateLimit
    private let maxBodyBytes: Int

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func make(rateLimit: RateLimit = RateLimit(burst: 10_000, perSecond: 10_000), maxBodyBytes: Int = IntakeConfiguration.defaultMaxBodyBytes) async throws -> IntakeFixture {
        let env = try TestEnvironment.require()
        let migrated = try await MigratedSchema.create("intake")
        let schema = migrated.name
        let conninfo = migrated.conninfo
        return IntakeFixture(env: env, schema: schema, conninfo: conninfo, rateLimit: rateLimit, maxBodyBytes: maxBodyBytes)
    }

    private init(env: TestEnvironment, schema: String, conninfo: String, rateLimit: RateLimit, maxBodyBytes: Int) {
        self.env = env
        self.schema = schema
        self.conninfo = conninfo
        self.database = PostgresClient(conninfo: conninfo, maxConnections: 8, logger: Logger(label: "test.db"))
        self.storageRoot = FileManager.default.temporaryDirectory.appendingPathComponent(schema).path
        self.storage = LocalDirectoryStorage(root: storageRoot)
        self.contract = OpenAPIContract.shared
        self.rateLimit = rateLimit
        self.maxBodyBytes = maxBodyBytes
    }

    /// The LISTEN connection is named after the schema, so a test can see it in `pg_stat_activity`.
    var listenConninfo: String { conninfo + "&application_name=\(schema)" }

    func tearDown() async {
        await database.shutdown()
        try? FileManager.default.removeItem(atPath: storageRoot)
        if let admin = try? PostgresConnection.connect(env.databaseURL) {
            _ = try? admin.simpleQuery("DROP SCHEMA IF EXISTS \(schema) CASCADE")
            admin.close()
        }
    }

    /// Builds the application (`configure` may change its configuration: limits, prices,
    /// the metrics registry) and runs `body` with a HummingbirdTesting client.
    func withClient<T: Sendable>(
        _ setup: TestingSetup = .router, keepAlive: Duration = .seconds(15),
        configure: @Sendable (inout IntakeConfiguration) -> Void = { _ in },
        _ body: @Sendable @escaping (APIClient) async throws -> T
    ) async throws -> T {
        var configuration = IntakeConfiguration(
            address: HostPort(host: "127.0.0.1", port: 0), database: database, listenConninfo: listenConninfo,
            storage: storage, catalog: try TemplateCatalog(directory: Self.repository.appendingPathComponent("templates").path),
            logger: Logger(label: "test.intake"))
        configuration.rateLimit = rateLimit
        configuration.maxBodyBytes = maxBodyBytes
        configuration.eventKeepAlive = keepAlive
        configure(&configuration)
        let app = try buildApplication(configuration: configuration)
        let contract = self.contract
        return try await app.test(setup) { client in
            try await body(APIClient(client: client, contract: contract))
        }
    }

}

extension IntakeFixture {
    /// Runs `body` with a fresh fixture and always tears it down.
    static func with<T: Sendable>(
        rateLimit: RateLimit = RateLimit(burst: 10_000, perSecond: 10_000), maxBodyBytes: Int = IntakeConfiguration.defaultMaxBodyBytes,
        _ body: (IntakeFixture) async throws -> T
    ) async throws -> T {
        let fixture = try await make(rateLimit: rateLimit, maxBodyBytes: maxBodyBytes)
        do {
            let result = try await body(fixture)
            await fixture.tearDown()
            return result
        } catch {
            await fixture.tearDown()
            throw error
        }
    }
}
