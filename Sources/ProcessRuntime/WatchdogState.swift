/// What the watchdog does on each tick, decided from the failing checks alone so that the
/// rules are tested without a socket or a clock.
///
/// `WATCHDOG=1` goes out only while every liveness check passes: a stuck loop must let the
/// systemd timer run out. Readiness never withholds it: an instance waiting for the broker
/// or the database is healthy and must not be restarted (DESIGN.md §3, Outages).
/// `STATUS=` and the log lines are emitted on change only, so journald is not flooded.
struct WatchdogState: Sendable {
    struct Actions: Sendable, Equatable {
        var sendWatchdog: Bool
        /// The new `STATUS=` text, when it changed.
        var status: String?
        var transition: Transition?
    }

    enum Transition: Sendable, Equatable {
        /// Liveness started failing: these checks.
        case stalled([String])
        /// Every liveness check passes again.
        case recovered
    }

    private var lastStatus: String?
    private var stalled = false

    mutating func tick(failingLiveness: [String], failingReadiness: [String]) -> Actions {
        let status = Self.status(failingLiveness: failingLiveness, failingReadiness: failingReadiness)
        let isStalled = !failingLiveness.isEmpty
        var transition: Transition?
        if isStalled, !stalled { transition = .stalled(failingLiveness) }
        if !isStalled, stalled { transition = .recovered }
        defer {
            stalled = isStalled
            lastStatus = status
        }
        return Actions(sendWatchdog: !isStalled, status: status == lastStatus ? nil : status, transition: transition)
    }

    /// The one-line summary `systemctl status` shows.
    static func status(failingLiveness: [String], failingReadiness: [String]) -> String {
        if !failingLiveness.isEmpty {
            return "stalled: \(failingLiveness.joined(separator: ", ")) (watchdog withheld)"
        }
        if !failingReadiness.isEmpty {
            return "not ready: waiting for \(failingReadiness.joined(separator: ", "))"
        }
        return "running"
    }
}
