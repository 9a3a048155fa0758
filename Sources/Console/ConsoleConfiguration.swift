public import Logging
public import Postgres
public import Settings

/// What the console needs: where it listens (`ITP_CONSOLE_ADDR`), the database, a logger.
public struct ConsoleConfiguration: Sendable {
    public var address: HostPort
    public var database: PostgresClient
    public var logger: Logger
    /// Replays per second a bulk replay offers by default (the form lets the operator choose).
    public var defaultRate: Double = 10
    /// Rows per page of the dead-letter list.
    public var pageSize = 50

    public init(address: HostPort, database: PostgresClient, logger: Logger) {
        self.address = address
        self.database = database
        self.logger = logger
    }
}
