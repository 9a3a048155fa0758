import ArgumentParser
import Foundation
import Settings

/// Where the servers are: the flags, else `ITP_DATABASE_URL` / `ITP_AMQP_URL`.
struct BenchConnections: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (default: $ITP_DATABASE_URL).")
    var databaseURLFlag: String?

    @Option(name: .customLong("amqp-url"), help: "RabbitMQ URL (default: $ITP_AMQP_URL).")
    var amqpURLFlag: String?

    func resolve() throws -> (databaseURL: String, amqpURL: String) {
        let source = SettingsSource(environment: ProcessInfo.processInfo.environment)
        guard let database = Setting.databaseURL.raw(flag: databaseURLFlag, in: source), !database.isEmpty else {
            throw ValidationError("set --database-url or ITP_DATABASE_URL")
        }
        guard let amqp = Setting.amqpURL.raw(flag: amqpURLFlag, in: source), !amqp.isEmpty else {
            throw ValidationError("set --amqp-url or ITP_AMQP_URL")
        }
        return (database, amqp)
    }
}
