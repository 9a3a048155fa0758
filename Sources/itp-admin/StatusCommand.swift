import ArgumentParser
import Postgres
import Settings

/// A one-screen picture of the fleet's state, read from Postgres (and the broker's reachability).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the fleet's state: schema version, products by status, jobs by state, outbox backlog, dead letters, broker reachability.")

    @OptionGroup var options: DaemonOptions
    @Flag(help: "Print JSON for scripts.") var json = false

    struct DatabaseStatus: Encodable, Sendable {
        var serverVersion: String
        /// The latest applied migration; nil when not migrated.
        var schema: String?
        var productsByStatus: [String: Int] = [:]
        var jobsByState: [String: Int] = [:]
        var outboxUnpublished = 0
        var deadLetters = 0
    }

    struct Status: Encodable {
        var database: DatabaseStatus
        var broker: BrokerProbe
    }

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin status")
        let database = AdminConnection.client(settings)
        let databaseStatus: DatabaseStatus
        do {
            databaseStatus = try await database.withConnection(Self.read)
        } catch {
            AdminFailure.handle(error)
        }
        await database.shutdown()
        let broker = await BrokerProbe.probe(settings)
        if json {
            try AdminJSON.print(Status(database: databaseStatus, broker: broker))
            return
        }
        print("database: connected (PostgreSQL \(databaseStatus.serverVersion))")
        if let schema = databaseStatus.schema {
            print("  schema: \(schema)")
            print("  products by status: \(Self.counts(databaseStatus.productsByStatus))")
            print("  jobs by state: \(Self.counts(databaseStatus.jobsByState))")
            print("  outbox unpublished: \(databaseStatus.outboxUnpublished)")
            print("  dead letters: \(databaseStatus.deadLetters)")
        } else {
            print("  schema: not migrated (run: itp-admin migrate)")
        }
        for line in broker.lines { print(line) }
    }

    private static func read(_ connection: PostgresConnection) throws -> DatabaseStatus {
        var status = DatabaseStatus(serverVersion: try connection.query("SHOW server_version").first?.decode(String.self) ?? "?")
        let migrated = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").first?.decode(Bool.self) ?? false
        guard migrated else { return status }
        status.schema = try connection.query("SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1").first?.decode(String.self)
            ?? "no migration applied"
        func counts(_ sql: SQL) throws -> [String: Int] {
            Dictionary(uniqueKeysWithValues: try connection.query(sql).map { try $0.decode((String, Int).self) })
        }
        status.productsByStatus = try counts("SELECT status::text, count(*) FROM products GROUP BY 1")
        status.jobsByState = try counts("SELECT state::text, count(*) FROM jobs GROUP BY 1")
        status.outboxUnpublished = try connection.query("SELECT count(*) FROM outbox WHERE published_at IS NULL")[0].decode(Int.self)
        status.deadLetters = try connection.query("SELECT count(*) FROM dead_letters")[0].decode(Int.self)
        return status
    }

    private static func counts(_ values: [String: Int]) -> String {
        values.isEmpty ? "none" : values.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
