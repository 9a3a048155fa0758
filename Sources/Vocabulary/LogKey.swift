/// Every log metadata key of the fleet, written once (STYLE.md point 12): dot-namespaced,
/// `itp.` for the fleet's own things, `amqp.` and `db.` for the broker and the database,
/// `http.` for the intake's requests. Log queries and alerts match on these names, so a key
/// changes only with a release note, like a metric name (``MetricName``).
///
/// Use the constants, never a literal: `logger.info("…", metadata: [LogKey.jobID: "\(id)"])`.
/// `SourceVocabularyTests` fails on a key literal anywhere in `Sources`.
public enum LogKey {
    /// An error's debug description (``Logger/MetadataValue/error(_:)``).
    public static let error = "error"

    // MARK: Jobs and the runtime
    public static let jobID = "itp.job.id"
    public static let jobKind = "itp.job.kind"
    /// 1-based attempt number of the claim.
    public static let jobAttempt = "itp.job.attempt"
    /// Credits the job's product iteration reserved.
    public static let jobCostUnits = "itp.job.cost_units"
    /// Jobs in one shared transaction of the one-transaction path.
    public static let batchSize = "itp.batch.size"
    public static let retryDelay = "itp.retry.delay"
    public static let deadReason = "itp.dead.reason"
    public static let supersededReason = "itp.superseded.reason"
    /// An ``ErrorClass`` raw value: `transient`, `rate_limited`, `permanent`.
    public static let errorClass = "itp.error.class"
    public static let errorMessage = "itp.error.message"
    public static let errorRetryAfterSeconds = "itp.error.retry_after_s"
    /// An HTTP status or a job status that an error came with.
    public static let errorStatus = "itp.error.status"
    public static let failureStage = "itp.failure.stage"

    // MARK: Products, designs, mockups
    public static let productID = "itp.product.id"
    public static let ownerID = "itp.owner.id"
    /// A signed-in builder user (shop user id).
    public static let userID = "itp.user.id"
    /// An operator of the console (its name), and the audit row of an operator action.
    public static let operatorName = "itp.operator.name"
    public static let auditID = "itp.audit.id"
    public static let creditsReserved = "itp.credits.reserved"
    /// A design of the shop's library.
    public static let libraryDesignID = "itp.library.design.id"
    /// Products a library sync started moving to the design's latest version.
    public static let librarySyncStarted = "itp.library.sync.started"
    public static let selectionVersion = "itp.selection.version"
    public static let assetID = "itp.asset.id"
    public static let assetRole = "itp.asset.role"
    public static let assetBytes = "itp.asset.bytes"
    public static let designIteration = "itp.design.iteration"
    public static let designCandidate = "itp.design.candidate"
    public static let designCandidates = "itp.design.candidates"
    public static let mockupKind = "itp.mockup.kind"
    public static let templateID = "itp.template.id"
    public static let templateRequested = "itp.template.requested"
    public static let templateUsed = "itp.template.used"
    public static let templateFallbackReason = "itp.template.fallback_reason"
    /// Products the finalizer's sweep settled in one pass.
    public static let sweepSettled = "itp.sweep.settled"
    /// Published outbox rows and finished jobs' attempts deleted by one retention pass.
    public static let retentionOutboxRows = "itp.retention.outbox_rows"
    public static let retentionAttemptRows = "itp.retention.attempt_rows"

    // MARK: Image providers
    public static let providerName = "itp.provider.name"
    public static let providerModel = "itp.provider.model"
    public static let providerDurationMilliseconds = "itp.provider.duration_ms"
    /// `ok` or `error`.
    public static let providerOutcome = "itp.provider.outcome"
    public static let providerCostUnits = "itp.provider.cost_units"
    public static let providerCandidate = "itp.provider.candidate"

    // MARK: The daemon process
    public static let httpAddress = "itp.http.addr"
    public static let observabilityAddress = "itp.observability.addr"
    /// The health checks that fail (names, comma-separated).
    public static let healthFailing = "itp.health.failing"
    /// What was said to systemd (`READY=1`, `WATCHDOG=1`, …).
    public static let systemdState = "itp.systemd.state"
    public static let migrationFile = "itp.migration.file"
    public static let migrationStatements = "itp.migration.statements"
    /// A setting's environment name (a warning about its value).
    public static let setting = "itp.setting"

    // MARK: The intake's requests
    /// The OpenAPI path template, never a path with ids in it.
    public static let httpRoute = "http.route"

    // MARK: The broker
    public static let amqpURL = "amqp.url"
    public static let amqpConnection = "amqp.connection"
    public static let amqpGeneration = "amqp.generation"
    public static let amqpChannel = "amqp.channel"
    public static let amqpMethod = "amqp.method"
    public static let amqpReason = "amqp.reason"
    public static let amqpError = "amqp.error"
    public static let amqpRetryIn = "amqp.retry_in"
    /// A broker node, `amqp(s)://host:port` (never credentials).
    public static let amqpEndpoint = "amqp.endpoint"
    public static let amqpQueue = "amqp.queue"
    public static let amqpMissingQueues = "amqp.missing_queues"
    public static let amqpExchange = "amqp.exchange"
    public static let amqpRoutingKey = "amqp.routing_key"
    public static let amqpMessageID = "amqp.message_id"
    public static let amqpConsumer = "amqp.consumer"
    public static let amqpPrefetch = "amqp.prefetch"

    // MARK: The database
    public static let dbHost = "db.host"
    public static let dbPort = "db.port"
    public static let dbName = "db.name"
    public static let dbBackendPID = "db.backend_pid"
    public static let dbChannel = "db.channel"
    public static let dbAttempt = "db.attempt"
    public static let dbSQLState = "db.sqlstate"
    public static let dbSeverity = "db.severity"
    public static let dbMessage = "db.message"
    public static let dbError = "db.error"
}
