public import Logging
public import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Vocabulary

/// The one `ServiceGroup` of a daemon (STYLE.md point 5), with the systemd protocol around it.
///
/// - SIGTERM and SIGINT start a graceful shutdown: services are asked to stop in *reverse*
///   order, each after the one behind it has returned. List them in dependency order, e.g.
///   `[observabilityServer, watchdog, broker, database, worker]`: the worker stops consuming
///   and finishes its in-flight jobs first, while `/metrics` and the watchdog still run.
/// - After `shutdownGrace` the shutdown escalates to task cancellation. Keep the grace
///   shorter than the unit's `TimeoutStopSec=`, so the daemon, not `SIGKILL`, decides what
///   is acked.
/// - `READY=1` is sent once every service has been started. Deliberately not "once the
///   broker and the database answer": a `Type=notify` unit that withheld READY during an
///   outage would time out and be restarted in a loop, while DESIGN.md §3 wants it to
///   stay up, report not-ready on `/readyz` and reconnect.
/// - `STOPPING=1` is sent as soon as shutdown begins (signal, or a service failing).
///
/// `run()` returns normally after a clean graceful shutdown (the daemon exits 0), and
/// throws when a service failed, which should make the daemon exit non-zero.
public struct DaemonLifecycle: Sendable {
    /// The group, for tests and for code that must trigger shutdown itself.
    public let group: ServiceGroup

    /// - Parameters:
    ///   - services: the daemon's services, in dependency order (see above).
    ///   - notifier: usually `SystemdNotifier()`; a no-op outside systemd.
    ///   - shutdownGrace: the longest the soft shutdown may take before cancellation.
    ///   - logger: the process logger.
    public init(services: [any Service], notifier: SystemdNotifier, shutdownGrace: Duration, logger: Logger) {
        self.init(services: services, notifier: notifier, shutdownGrace: shutdownGrace, logger: logger, signals: [.sigterm, .sigint])
    }

    /// `signals` is injectable so tests can run a group without taking over the test runner's signals.
    init(services: [any Service], notifier: SystemdNotifier, shutdownGrace: Duration, logger: Logger, signals: [UnixSignal]) {
        // Last, so it is started after the others and is the first told about shutdown.
        let systemd = SystemdLifecycleService(notifier: notifier, logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: (services + [systemd]).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: signals,
            logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownGrace
        self.group = ServiceGroup(configuration: configuration)
    }

    /// Runs every service until shutdown.
    public func run() async throws {
        try await group.run()
    }
}

/// Tells systemd when the group has started and when it begins to stop.
struct SystemdLifecycleService: Service, CustomStringConvertible {
    let notifier: SystemdNotifier
    let logger: Logger

    var description: String { "SystemdLifecycle" }

    func run() async throws {
        notify("READY=1", notifier.ready)
        logger.info("started")
        // Throws on cancellation (a service failed): the process is stopping all the same.
        try? await gracefulShutdown()
        logger.info("stopping: finishing in-flight work")
        notify("STOPPING=1", notifier.stopping)
    }

    private func notify(_ what: String, _ send: () throws(ProcessRuntimeError) -> Void) {
        do {
            try send()
        } catch {
            logger.warning("cannot notify systemd", metadata: [LogKey.systemdState: "\(what)", LogKey.error: .error(error)])
        }
    }
}

extension DaemonLifecycle {
    /// Until the group runs — while the daemon connects, declares its topology, loads its
    /// templates — SIGTERM or SIGINT end the process at once with status 0: nothing has been
    /// consumed or accepted yet, so there is nothing to drain, and a stop during start-up is
    /// a clean stop, not a death by signal. The group's own signal handling replaces this
    /// when it starts. Call it first thing in a daemon's `run`.
    public static func exitCleanlyOnTerminationUntilRunning() {
        signal(SIGTERM) { _ in _exit(0) }
        signal(SIGINT) { _ in _exit(0) }
    }
}
