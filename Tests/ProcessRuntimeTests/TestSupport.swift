import Logging
import Prometheus
@testable import ProcessRuntime
import Settings
import Synchronization

/// A switch a test flips while a service reads it from another thread.
final class Flag: Sendable {
    private let value: Mutex<Bool>
    init(_ initial: Bool) { value = Mutex(initial) }
    var isOn: Bool { value.withLock { $0 } }
    func set(_ on: Bool) { value.withLock { $0 = on } }
}

/// Counts calls, to wait for "the service has looked N more times".
final class CallCounter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func increment() { value.withLock { $0 += 1 } }
}

extension Logger {
    /// Tests assert on behaviour, not on log lines; keep their output quiet.
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
}

/// swift-metrics may be bootstrapped once per process: every test that needs the global
/// system shares this registry (a global `let` is initialised once, thread-safely).
enum GlobalMetrics {
    static let registry: PrometheusCollectorRegistry = MetricsSetup.bootstrap()
}

/// Runs `body` with a server on 127.0.0.1:0 and stops it afterwards through task cancellation.
func withServer<T>(
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    healthChecks: HealthChecks = HealthChecks(),
    limits: ObservabilityServer.Limits = .init(),
    _ body: (ObservabilityServer) async throws -> T
) async throws -> T {
    let server = try ObservabilityServer(
        address: HostPort(host: "127.0.0.1", port: 0), registry: registry, healthChecks: healthChecks, limits: limits,
        logger: .quiet)
    let running = Task { try await server.run() }
    do {
        let result = try await body(server)
        running.cancel()
        try await running.value
        return result
    } catch {
        running.cancel()
        _ = try? await running.value
        throw error
    }
}
