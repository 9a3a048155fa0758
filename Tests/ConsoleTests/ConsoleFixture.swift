import AMQP
import Accounts
import Console
import FleetTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Operations
import Postgres
import Settings

/// One test's world: its own migrated schema and the console built by `buildConsoleApplication` over it.
final class ConsoleFixture: Sendable {
    let schema: MigratedSchema
    let database: PostgresClient

    init(schema: MigratedSchema) {
        self.schema = schema
        self.database = PostgresClient(conninfo: schema.conninfo, maxConnections: 6, logger: Logger(label: "test.db"))
    }

    static func with<T: Sendable>(_ body: (ConsoleFixture) async throws -> T) async throws -> T {
        let fixture = ConsoleFixture(schema: try await MigratedSchema.create("console"))
        do {
            let result = try await body(fixture)
            await fixture.database.shutdown()
            fixture.schema.drop()
            return result
        } catch {
            await fixture.database.shutdown()
            fixture.schema.drop()
            throw error
        }
    }

    /// The console over this schema; `configure` adds a broker, asset storage or worker kinds.
    func withBrowser<T: Sendable>(
        configure: (inout ConsoleConfiguration) -> Void = { _ in }, _ body: @Sendable @escaping (ConsoleBrowser) async throws -> T
    ) async throws -> T {
        var configuration = ConsoleConfiguration(
            address: HostPort(host: "127.0.0.1", port: 0), database: database, logger: Logger(label: "test.console"))
        configure(&configuration)
        let app = try buildConsoleApplication(configuration: configuration)
        return try await app.test(.router) { client in
            try await body(ConsoleBrowser(client: client))
        }
    }

    /// A connection to the test broker (`ITP_AMQP_URL`), closed after `body`.
    func withBroker<T: Sendable>(_ body: (AMQPConnection) async throws -> T) async throws -> T {
        let broker = try await AMQPConnection.connect(
            configuration: try AMQPConfiguration(url: try TestEnvironment.require().amqpURL), logger: Logger(label: "test.amqp"))
        do {
            let result = try await body(broker)
            await broker.close()
            return result
        } catch {
            await broker.close()
            throw error
        }
    }

    func sql<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await database.withConnection(body)
    }

    func count(_ query: SQL) async throws -> Int {
        try await sql { try $0.query(query)[0].decode(Int.self, at: 0) }
    }

    /// An operator with a known password (cheap scrypt cost: tests only).
    func makeOperator(readOnly: Bool = false, password: String = "a long operator password") async throws -> (name: String, password: String) {
        let name = uniqueName("op").replacingOccurrences(of: "_", with: "-")
        let created = try await sql { try OperatorAccounts.create(name: name, password: password, readOnly: readOnly, logN: 10, on: $0) }
        precondition(created)
        return (name, password)
    }

    /// A shop with a builder user (e-mail and password) and a live shop session token.
    func makeShopUser(password: String = "a long shop password") async throws -> (email: String, password: String, sessionToken: String) {
        let email = uniqueName("user").replacingOccurrences(of: "_", with: "-") + "@shop.test"
        let hash = try PasswordHash.make(password: password, logN: 10).encoded
        let token = try await sql { connection in
            try connection.transaction { connection in
                let owner = try connection.query("INSERT INTO owners (name) VALUES (\(uniqueName("shop"))) RETURNING id")[0].decode(UUID.self, at: 0)
                let user = try connection.query("""
                    INSERT INTO shop_users (owner_id, email, password_hash) VALUES (\(owner), \(email), \(hash)) RETURNING id
                    """)[0].decode(UUID.self, at: 0)
                return try SessionStore(realm: .shop).create(accountID: user, address: "127.0.0.1", on: connection).token.value
            }
        }
        return (email, password, token)
    }

    /// `count` dead canary jobs, each with its dead letter and one failed attempt, as the fleet
    /// leaves them (no product: a replay only requeues the job).
    @discardableResult
    func deadJobs(_ count: Int, errorClass: String, stage: String, reason: String, queue: String = "console.test") async throws -> [UUID] {
        try await sql { connection in
            try connection.transaction { connection in
                try (0..<count).map { _ in
                    let job = try connection.query("""
                        INSERT INTO jobs (kind, queue, payload, state, attempts, last_error, error_class, failure_stage, finished_at)
                        VALUES ('canary', \(queue), '{}'::jsonb, 'dead', 1, \(reason), \(errorClass)::error_class, \(stage), now())
                        RETURNING id
                        """)[0].decode(UUID.self, at: 0)
                    try connection.execute("""
                        INSERT INTO job_attempts (job_id, attempt, worker, finished_at, outcome, error_class, error_message, failure_stage)
                        VALUES (\(job), 1, 'test', now(), 'failed', \(errorClass)::error_class, \(reason), \(stage))
                        """)
                    try connection.execute("""
                        INSERT INTO dead_letters (dedupe_key, queue, original_queue, job_id, job_kind, reason, error_class, failure_stage, body)
                        VALUES (\(UUID().uuidString), \(queue + ".dead"), \(queue), \(job), 'canary', \(reason), \(errorClass)::error_class,
                                \(stage), '\\x7b7d'::bytea)
                        """)
                    return job
                }
            }
        }
    }
}
