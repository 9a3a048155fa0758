public import AssetImages
public import Logging
public import Mockups
public import Postgres
import Prometheus
public import Settings
public import Storage
public import Webhooks

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
    /// Largest accepted request body, in bytes (``defaultMaxBodyBytes``).
    public var maxBodyBytes: Int = IntakeConfiguration.defaultMaxBodyBytes
    /// 32 KiB: every body the OpenAPI document allows must fit. The longest strings are a
    /// 2000-character prompt or feedback and a 2048-character webhook URL, and JSON may
    /// spell each character outside the BMP as an escaped surrogate pair (`\uD83D\uDE00`,
    /// 12 bytes): 24,576 bytes at worst, plus the other fields. (16 KiB refused valid
    /// requests with 413: found by `scripts/api-check`.)
    public static let defaultMaxBodyBytes = 32 * 1024
    /// Per-API-key token bucket.
    public var rateLimit = RateLimit()
    /// The most candidates a product may ask for (`ITP_DESIGN_CANDIDATES_MAX`, the same
    /// setting the design worker enforces): more answers 400 before anything is reserved.
    public var maxCandidates = ProductFlowDefaults.candidatesMax
    /// Credits reserved by a creation (`ITP_PRICE_CREATE`) and by each regeneration
    /// (`ITP_PRICE_REGENERATE`); the responses state them as `estimated_cost`.
    public var prices = Prices()
    /// Where the HTTP request metrics go: `itp-intake` passes the registry its `/metrics`
    /// serves; the default is a registry of its own (tests read it).
    public var httpMetrics = HTTPMetrics(registry: PrometheusCollectorRegistry())
    /// Signs the image URLs the gallery hands out and verifies those the image route is
    /// asked for (`ITP_IMAGE_URL_SECRET`, `…_PREVIOUS`, `…_TTL_SECONDS`, `ITP_PUBLIC_BASE_URL`).
    /// The default has a random secret: its URLs work only in this process.
    public var imageURLs = ImageURLSigner.ephemeral()
    /// Where webhook endpoints may point (`ITP_WEBHOOK_ALLOWED_ADDRESSES`): public addresses
    /// only by default; tests allow loopback.
    public var webhookDestinations = DestinationPolicy()
    /// Interval of `: keep-alive` comments on idle event streams.
    public var eventKeepAlive: Duration = .seconds(15)
    /// Serves `GET /bench/constant` (a constant JSON body, no database): the baseline the
    /// builder benchmark compares the gallery and the product page with. Off in production.
    public var benchmarkConstantRoute = false
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

extension IntakeConfiguration {
    /// What the intake reserves, in credits. Settlements (consume, refund) always move the
    /// amount a reservation recorded, so changing a price never changes an open reservation.
    public struct Prices: Sendable, Equatable {
        public var create: Int
        public var regenerate: Int
        /// A product made from a library design (`ITP_PRICE_LIBRARY`; 0: free, nothing reserved).
        public var library: Int

        public init(
            create: Int = ProductFlowDefaults.priceCreate, regenerate: Int = ProductFlowDefaults.priceRegenerate,
            library: Int = ProductFlowDefaults.priceLibrary
        ) {
            self.create = create
            self.regenerate = regenerate
            self.library = library
        }
    }
}
