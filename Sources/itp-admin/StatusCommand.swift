import ArgumentParser
import Postgres
import Settings

/// A one-screen picture of the fleet's state, read from Postgres (and the broker's reachability).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the fleet's state: schema version, products by status, jobs by state, outbox backlog, dead letters, broker reachability.")

    @OptionGroup var options: DaemonOptions

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin status")
        let connection = try AdminConnection.postgres(settings)
        defer { connection.close() }
        try AdminFailure.report {
            let version = try connection.query("SHOW server_version").first?.decode(String.self, at: 0) ?? "?"
            print("database: connected (PostgreSQL \(version))")
            let migrated = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").first?.decode(Bool.self, at: 0) ?? false
            guard migrated else {
                print("  schema: not migrated (run: itp-admin migrate)")
                return
            }
            let latest = try connection.query("SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1").first?.decode(String.self, at: 0)
            print("  schema: \(latest ?? "no migration applied")")
            try printCounts("products by status", "SELECT status::text, count(*) FROM products GROUP BY 1 ORDER BY 1", on: connection)
            try printCounts("jobs by state", "SELECT state::text, count(*) FROM jobs GROUP BY 1 ORDER BY 1", on: connection)
            let outbox = try connection.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").first?.decode(Int.self, at: 0) ?? 0
            print("  outbox unpublished: \(outbox)")
            let dead = try connection.query("SELECT count(*) FROM dead_letters").first?.decode(Int.self, at: 0) ?? 0
            print("  dead letters: \(dead)")
        }
        await BrokerProbe.printStatus(settings)
    }

    private func printCounts(_ title: String, _ sql: SQL, on connection: PostgresConnection) throws {
        let rows = try connection.query(sql)
        let parts = try rows.map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(Int.self, at: 1))" }
        print("  \(title): \(parts.isEmpty ? "none" : parts.joined(separator: ", "))")
    }
}
