public import AMQP
public import AssetImages
public import Logging
public import Operations
public import Postgres
public import Settings

/// What the console needs: where it listens (`ITP_CONSOLE_ADDR`), the database, a logger; the
/// broker for the overview's queue readings and the scaling page, and asset storage for the
/// product page's thumbnails (without them those parts say they are unavailable).
public struct ConsoleConfiguration: Sendable {
    public var address: HostPort
    public var database: PostgresClient
    public var logger: Logger
    /// Replays per second a bulk replay offers by default (the form lets the operator choose).
    public var defaultRate: Double = 10
    /// Rows per page of the dead-letter list.
    public var pageSize = 50
    public var broker: AMQPConnection?
    public var images: AssetImageStore?
    /// The worker kinds the scaling page plans, as `itp-admin scale plan` does by default.
    public var workers: [WorkerKind] = WorkerKind.defaults(source: SettingsSource(environment: [:]))
    /// The executable the scaling page asks which instances run (`systemctl list-units`).
    public var systemctl = "systemctl"

    public init(address: HostPort, database: PostgresClient, logger: Logger) {
        self.address = address
        self.database = database
        self.logger = logger
    }
}
