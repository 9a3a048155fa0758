public import Logging
public import ServiceLifecycle
import Vocabulary

/// Keeps systemd's watchdog fed while, and only while, the process's loops are alive.
///
/// Every tick (``interval``, by default half of `WATCHDOG_USEC`) it runs the liveness checks
/// of ``HealthChecks``: when all pass it sends `WATCHDOG=1`; when one fails (a consume
/// loop's ``Heartbeat`` went stale) it logs once and withholds the ping, so systemd kills
/// and restarts the stuck daemon when `WatchdogSec=` runs out. It also keeps `STATUS=` to a
/// short summary (`running`, `not ready: waiting for broker`, `stalled: …`).
///
/// Put it in the ``DaemonLifecycle`` services before the workers: services shut down in
/// reverse order, so it keeps feeding the watchdog while the workers drain.
/// Without `NOTIFY_SOCKET` it does nothing but wait for shutdown.
public struct WatchdogService: Service {
    private let notifier: SystemdNotifier
    private let healthChecks: HealthChecks
    private let logger: Logger
    /// Time between ticks.
    public let interval: Duration

    /// - Parameter interval: time between ticks; default half of `WATCHDOG_USEC`, or
    ///   10 seconds (status updates only) when the unit has no watchdog.
    public init(notifier: SystemdNotifier, healthChecks: HealthChecks, interval: Duration? = nil, logger: Logger) {
        self.notifier = notifier
        self.healthChecks = healthChecks
        self.logger = logger
        self.interval = interval ?? notifier.watchdogInterval.map { $0 / 2 } ?? .seconds(10)
    }

    public func run() async throws {
        guard notifier.isEnabled else {
            try? await gracefulShutdown()
            return
        }
        var state = WatchdogState()
        var notifyFailed = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let actions = state.tick(
                failingLiveness: healthChecks.failingLiveness(), failingReadiness: healthChecks.failingReadiness())
            log(actions.transition)
            do {
                if actions.sendWatchdog { try notifier.watchdog() }
                if let status = actions.status { try notifier.status(status) }
                notifyFailed = false
            } catch {
                // Once per failure streak: a broken NOTIFY_SOCKET must not flood the journal.
                if !notifyFailed { logger.warning("cannot notify systemd", metadata: [LogKey.error: .error(error)]) }
                notifyFailed = true
            }
            let interval = self.interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    private func log(_ transition: WatchdogState.Transition?) {
        switch transition {
        case .stalled(let failing):
            logger.error(
                "liveness check failing; withholding WATCHDOG=1 so systemd restarts this process",
                metadata: [LogKey.healthFailing: .string(failing.joined(separator: ","))])
        case .recovered:
            logger.notice("liveness checks pass again; resuming WATCHDOG=1")
        case nil:
            break
        }
    }
}
