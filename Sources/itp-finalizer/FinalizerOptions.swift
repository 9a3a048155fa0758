import ArgumentParser
import Finalizer
import JobRuntime
import ProductFlow
import Settings
import WorkerDaemon

/// The finalizer's settings beyond the common ones: each a flag and an `ITP_FINALIZER_*`
/// variable with a documented default, validated at boot like every other setting.
struct FinalizerOptions: ParsableArguments {
    static let prefetch = Setting(
        "ITP_FINALIZER_PREFETCH", flag: "prefetch", help: "Events handled at once (AMQP prefetch).", default: "8")
    static let sweepInterval = Setting(
        "ITP_FINALIZER_SWEEP_INTERVAL_SECONDS", flag: "sweep-interval",
        help: "Seconds between sweeps for products whose events were lost.", default: "15")
    static let shutdownGrace = Setting(
        "ITP_FINALIZER_SHUTDOWN_GRACE_SECONDS", flag: "shutdown-grace",
        help: "Seconds to finish in-flight events after SIGTERM; keep it below the unit's TimeoutStopSec.", default: "20")

    static let outboxRetention = Setting(
        "ITP_RETENTION_OUTBOX_DAYS", flag: "retention-outbox-days",
        help: "Days a published outbox row is kept (0: forever). The finalizer prunes hourly.", default: "7")
    static let attemptRetention = Setting(
        "ITP_RETENTION_ATTEMPTS_DAYS", flag: "retention-attempts-days",
        help: "Days the attempts of a succeeded, cancelled or superseded job are kept (0: forever; a dead job keeps its attempts).",
        default: "90")

    /// For `--help`.
    static let settings = [prefetch, sweepInterval, shutdownGrace, outboxRetention, attemptRetention]

    @Option(setting: Self.prefetch) var prefetch: String?
    @Option(setting: Self.sweepInterval) var sweepInterval: String?
    @Option(setting: Self.shutdownGrace) var shutdownGrace: String?
    @Option(setting: Self.outboxRetention) var outboxRetention: String?
    @Option(setting: Self.attemptRetention) var attemptRetention: String?

    @Flag(help: "Declare the broker topology at start (single-node set-ups and tests).")
    var declare = false

    struct Resolved {
        var daemon: WorkerDaemon.Options
        var sweepInterval: Duration
        var retention: Retention
    }

    /// The worker options of the finalizer: it consumes `finalizer.events`, records every
    /// dead-letter queue, and a dead job re-evaluates its product (``DeadJobHook``).
    func resolve(_ source: SettingsSource) throws -> Resolved {
        var daemon = WorkerDaemon.Options(
            name: "itp-finalizer", queue: ProductQueues.finalizerEvents,
            prefetch: try Self.prefetch.number(flag: prefetch, in: source, range: 1...1000),
            shutdownGrace: .seconds(try Self.shutdownGrace.number(flag: shutdownGrace, in: source, range: 1...3600)),
            declareTopology: declare)
        daemon.recordDeadLettersOf = ProductQueues.all
        daemon.deadLetterHook = { logger in DeadJobHook.make(logger: logger) }
        let outboxDays = try Self.outboxRetention.number(flag: outboxRetention, in: source, range: 0...36_500)
        let attemptDays = try Self.attemptRetention.number(flag: attemptRetention, in: source, range: 0...36_500)
        return Resolved(
            daemon: daemon, sweepInterval: .seconds(try Self.sweepInterval.number(flag: sweepInterval, in: source, range: 1...86_400)),
            retention: Retention(outboxDays: outboxDays == 0 ? nil : outboxDays, attemptDays: attemptDays == 0 ? nil : attemptDays))
    }
}
