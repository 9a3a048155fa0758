import Synchronization

/// The named checks behind `/readyz`, `/healthz` and the systemd watchdog.
///
/// - **Readiness** (`/readyz`): can this instance do useful work right now, e.g.
///   `broker.isConnected`, `database.isConnected`. A daemon stays up while not ready; it
///   reconnects with backoff (DESIGN.md §3, Outages).
/// - **Liveness** (`/healthz` and `WATCHDOG=1`): are the process's own loops still turning,
///   e.g. a ``Heartbeat`` the consume loop beats on every iteration. A failing liveness
///   check means the process is stuck and should be restarted.
///
/// Checks run on the observability server's thread and in the watchdog, so they must be
/// cheap and must not block: read a flag or a timestamp, never do I/O.
public final class HealthChecks: Sendable {
    /// One check as registered.
    public typealias Check = @Sendable () -> Bool

    private struct Registry {
        var readiness: [(name: String, check: Check)] = []
        /// Checks that `/metrics` exports as gauges of 1 and 0.
        var gauges: [(metric: String, check: Check)] = []
        var liveness: [(name: String, check: Check)] = []
    }

    private let registry = Mutex(Registry())

    public init() {}

    /// Adds a readiness check named `name` (shown in `/readyz` when it fails). Names should
    /// be short, stable and low-cardinality: `broker`, `database`.
    ///
    /// - Parameter gauge: a metric name (``MetricName``) under which `/metrics` also exports
    ///   the check, 1 while it passes and 0 while it fails, read at each scrape.
    public func addReadiness(_ name: String, gauge: String? = nil, _ check: @escaping Check) {
        registry.withLock { registry in
            registry.readiness.append((name, check))
            if let gauge { registry.gauges.append((gauge, check)) }
        }
    }

    /// Exports `check` on `/metrics` as the gauge `metric` (1 while it passes, else 0) without
    /// making it a readiness check: the intake's broker connection, whose loss delays
    /// publishing but refuses no request.
    public func addGauge(_ metric: String, _ check: @escaping Check) {
        registry.withLock { $0.gauges.append((metric, check)) }
    }

    /// Adds a liveness check named `name` (shown in `/healthz` and the unit's status when it fails).
    public func addLiveness(_ name: String, _ check: @escaping Check) {
        registry.withLock { $0.liveness.append((name, check)) }
    }

    /// Adds a liveness check that passes while `heartbeat` has beaten within `maxAge`.
    public func addLiveness(_ name: String, heartbeat: Heartbeat, maxAge: Duration) {
        addLiveness(name) { heartbeat.isFresh(within: maxAge) }
    }

    /// The names of the readiness checks that fail now, in registration order.
    public func failingReadiness() -> [String] {
        Self.failing(registry.withLock { $0.readiness })
    }

    /// The names of the liveness checks that fail now, in registration order.
    public func failingLiveness() -> [String] {
        Self.failing(registry.withLock { $0.liveness })
    }

    /// The checks registered with a gauge name, each with its value now (1 or 0).
    public func gaugeReadings() -> [(metric: String, value: Double)] {
        registry.withLock { $0.gauges }.map { ($0.metric, $0.check() ? 1 : 0) }
    }

    /// Whether every readiness check passes (true when there are none).
    public var isReady: Bool { failingReadiness().isEmpty }

    /// Whether every liveness check passes (true when there are none).
    public var isAlive: Bool { failingLiveness().isEmpty }

    // Checks are copied out and run outside the lock so a slow or re-entrant check cannot
    // hold up registration or deadlock.
    private static func failing(_ checks: [(name: String, check: Check)]) -> [String] {
        checks.filter { !$0.check() }.map(\.name)
    }
}
