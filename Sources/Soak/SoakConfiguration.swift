public import FleetTesting
import Foundation

/// What a soak or benchmark run does. Defaults are the soak: 200 products, several
/// instances of each worker, every fault kind.
public struct SoakConfiguration: Sendable {
    /// Postgres (a schema is created in it for the run) and RabbitMQ of a private set-up.
    public var databaseURL: String
    public var amqpURL: String
    /// `scripts/servers`, for broker and Postgres faults; nil disables them.
    public var serversScript: String?
    /// Where the built daemons are.
    public var binDirectory: String
    public var templatesDirectory: String
    public var migrationsDirectory: String
    /// Logs and asset blobs of the run.
    public var workDirectory: String

    public var products = 200
    /// A shop's past written into the schema before the fleet starts (``HistorySeed``):
    /// finished products, and dead letters of jobs that died on some of them. 0: an empty database.
    public var historyProducts = 0
    public var historyDeadLetters = 0
    /// Shop owners (each with its own API key and credit grant).
    public var owners = 4
    /// Products worked on by the storefront at once.
    public var concurrency = 24
    /// Hard bound on the storefront phase; then the run settles and checks whatever it has.
    public var timeLimit: Duration = .seconds(45 * 60)
    /// How long the fleet gets to settle once the storefront phase ends.
    public var settleLimit: Duration = .seconds(6 * 60)
    public var instances: [DaemonKind: Int] = [.intake: 2, .finalizer: 2, .design: 3, .flatLay: 2, .mrImagine: 2]
    public var faults: Set<FaultKind> = Set(FaultKind.allCases)
    /// The three-node cluster the fleet runs against (`itp-soak run --cluster`), nil for the
    /// single broker node. With it, ``amqpURL`` is the cluster's address list, every daemon
    /// gets the three addresses, the cluster faults (``FaultKind/cluster``) are drawn and the
    /// single node's broker faults are not.
    public var cluster: ClusterTestEnvironment?
    /// A Postgres primary with a synchronous standby (`scripts/servers pgpair-start`), whose
    /// multi-host URL is then ``databaseURL``: the `postgres-failover` fault is drawn and the
    /// single Postgres' crash is not. Nil: the single Postgres.
    public var postgresPair: PostgresPairTestEnvironment?
    /// Injected first, in this order, before the random draw (so a short run has each of
    /// them at least once); they count towards ``faultLimit``.
    public var leadingFaults: [FaultKind] = []
    /// Seconds between two injected faults (drawn uniformly).
    public var faultInterval: ClosedRange<Double> = 3...9
    /// At most this many injected faults (poison messages included), then the fleet runs on
    /// without: a run bounded by count, so that a slower machine makes it last longer, not
    /// suffer more faults per product. Nil: faults until the storefront phase ends.
    public var faultLimit: Int?
    /// Malformed messages published straight to the work queues over the run.
    public var poisonMessages = 12
    /// Share of products whose provider answers are garbage (they must fail, with a reason).
    public var garbageShare = 0.03
    /// Share of products re-selected (some while their mockups are in flight, some after
    /// ready_for_sale), and regenerated with feedback before selecting.
    public var reselectShare = 0.35
    public var regenerateShare = 0.15
    /// Share of products whose design, once ready, the shop saves to its library and puts
    /// on two more garments with one batch request (issue 20): their assets share the
    /// library's blobs, which the summary's content-addressing line counts.
    public var libraryShare = 0.15
    /// Candidates per product (drawn uniformly).
    public var candidates: ClosedRange<Int> = 2...4
    /// The design workers' provider: the local fake HTTP API (faults possible) or `builtin`.
    public var useFakeProvider = true
    public var imageSize = 512
    public var providerFaults = FakeImageAPI.Faults.soak
    /// The fake provider account's rate limit, and the fleet's `ITP_PROVIDER_CALLS_PER_MINUTE`
    /// (one budget shared by every design worker); nil: neither.
    public var providerCallsPerMinute: Int?
    /// Percent of job commits followed by a self-inflicted SIGKILL before the ack.
    public var killAfterCommitPercent = 2.0
    /// Measure CPU (daemons, Postgres, RabbitMQ, image work) and latencies: the benchmark.
    public var measure = false
    /// `ITP_SCRATCH` of scripts/servers, where the servers' pid files are (for `measure`).
    public var scratchDirectory: String?
    /// Drop the run's schema and blobs at the end (the test does; the CLI keeps them).
    public var cleanUp = false

    public init(databaseURL: String, amqpURL: String, serversScript: String?, binDirectory: String,
                templatesDirectory: String, migrationsDirectory: String, workDirectory: String) {
        self.databaseURL = databaseURL
        self.amqpURL = amqpURL
        self.serversScript = serversScript
        self.binDirectory = binDirectory
        self.templatesDirectory = templatesDirectory
        self.migrationsDirectory = migrationsDirectory
        self.workDirectory = workDirectory
    }
}

extension FakeImageAPI.Faults {
    /// The soak's mix: a few percent of calls each misbehave.
    public static var soak: Self {
        var faults = Self()
        faults.rateLimited = 0.06
        faults.serverError = 0.03
        faults.slow = 0.06
        faults.beyondTimeout = 0.01
        return faults
    }
}
