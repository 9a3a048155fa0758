public import Logging
public import Mockups
public import Postgres
public import Settings
public import Storage

/// Everything ``buildApplication(configuration:)`` needs: where to listen, the shared
/// clients (made once in `main`, or by a test), and the API's limits.
public struct IntakeConfiguration: Sendable {
    /// The HTTP API's listen address (`ITP_HTTP_ADDR`).
    public var address: HostPort
    /// The pool every request uses.
    public var database: PostgresClient
    /// Connection string for the dedicated LISTEN connection of the event streams (same
    /// database and schema as `database`).
    public var listenConninfo: String
    /// Where asset blobs are read from.
    public var storage: any AssetStorage
    /// Valid product types and colours are those of the catalogue.
    public var catalog: TemplateCatalog
    /// Largest accepted request body, in bytes (default 16 KiB: a 2000-character prompt
    /// is at most 8 KiB of UTF-8).
    public var maxBodyBytes: Int = 16 * 1024
    /// Per-API-key token bucket.
    public var rateLimit = RateLimit()
    /// Interval of `: keep-alive` comments on idle event streams.
    public var eventKeepAlive: Duration = .seconds(15)
    public var logger: Logger

    public init(
        address: HostPort, database: PostgresClient, listenConninfo: String, storage: any AssetStorage,
        catalog: TemplateCatalog, logger: Logger
    ) {
        self.address = address
        self.database = database
        self.listenConninfo = listenConninfo
        self.storage = storage
        self.catalog = catalog
        self.logger = logger
    }
}
