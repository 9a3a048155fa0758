import Foundation
public import Logging
public import Prometheus
public import ServiceLifecycle
public import Settings
import Synchronization
import Vocabulary

/// Serves `GET /metrics` (Prometheus text format 0.0.4), `/healthz` and `/readyz` on
/// `ITP_OBSERVABILITY_ADDR` (DESIGN.md §7).
///
/// - `/healthz`: 200 `ok` while every liveness check of ``HealthChecks`` passes, else 503.
/// - `/readyz`: 200 while every readiness check passes, else 503 with
///   `{"ready":false,"failing":["broker"]}`.
/// - 404 for other paths, 405 for other methods.
///
/// It is deliberately tiny: blocking POSIX sockets served one request per connection
/// (`Connection: close`) on a thread of its own, so a scrape never runs on the Swift
/// cooperative pool and keeps answering even if that pool is saturated or stuck, which is
/// exactly when the probes matter. Heads are bounded in size and time (``Limits``).
///
/// The socket is bound in `init`, so a bad or busy address stops the daemon at boot with
/// an error naming it, before `READY=1`, and ``address`` tells the real port when 0 was
/// asked for. ``run()`` serves until graceful shutdown or cancellation, then closes the
/// socket and returns once the thread has exited.
public final class ObservabilityServer: Service, Sendable {
    /// The bound address (with the kernel-chosen port when port 0 was requested).
    public var address: HostPort { listener.address }

    private let listener: ListeningSocket
    private let router: ObservabilityRouter
    private let limits: Limits
    private let logger: Logger
    private let lifecycle = Mutex(Lifecycle.idle)

    private enum Lifecycle {
        case idle
        case running(waiter: CheckedContinuation<Void, Never>?)
        case finished(ProcessRuntimeError?)
    }

    /// Binds and listens on `address`.
    ///
    /// - Throws: ``ProcessRuntimeError/Code/bindFailed`` naming the address.
    public init(
        address: HostPort,
        registry: PrometheusCollectorRegistry,
        healthChecks: HealthChecks,
        limits: Limits = Limits(),
        logger: Logger
    ) throws(ProcessRuntimeError) {
        self.listener = try ListeningSocket(binding: address)
        self.router = ObservabilityRouter(registry: registry, healthChecks: healthChecks)
        self.limits = limits
        self.logger = logger
    }

    /// Serves until graceful shutdown or cancellation. Call it once.
    public func run() async throws {
        let starting = lifecycle.withLock { state in
            guard case .idle = state else { return false }
            state = .running(waiter: nil)
            return true
        }
        precondition(starting, "ObservabilityServer.run() called twice")

        let thread = Thread { [self] in
            let error = acceptLoop()
            listener.close()
            finish(error)
        }
        thread.name = "observability-http"
        thread.start()
        logger.info("serving /metrics, /healthz and /readyz", metadata: [LogKey.observabilityAddress: "\(address)"])

        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lifecycle.withLock { state in
                    guard case .running = state else { return true }
                    state = .running(waiter: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancelOrGracefulShutdown: { [listener] in
            listener.wake()
        }

        if case .finished(let error?) = lifecycle.withLock({ $0 }) { throw error }
    }

    /// Runs on the server thread until woken.
    private func acceptLoop() -> ProcessRuntimeError? {
        while true {
            switch listener.next() {
            case .woken:
                return nil
            case .connection(let fd):
                serve(HTTPConnection(fd: fd, limits: limits))
            case .retry(let code):
                // Out of descriptors (EMFILE) would otherwise spin at full speed.
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    logger.warning("accept failed; retrying", metadata: [LogKey.error: "\(SystemCall.errorText(code))"])
                    usleep(100_000)
                }
            case .failed(let code):
                let error = ProcessRuntimeError(.serverFailed, detail: "the observability server on \(address) stopped", errno: code)
                logger.error("observability server stopped", metadata: [LogKey.error: .error(error)])
                return error
            }
        }
    }

    private func serve(_ connection: HTTPConnection) {
        let response: HTTPResponse? =
            switch connection.readHead() {
            case .head(let head): router.respond(to: head)
            case .tooLarge: HTTPResponse(status: 431, text: "request head too large\n")
            case .invalid: HTTPResponse(status: 400, text: "bad request\n")
            case .timedOut: HTTPResponse(status: 408, text: "request timeout\n")
            case .closed: nil
            }
        if let response { connection.sendAll(response.serialized()) }
        connection.close()
    }

    private func finish(_ error: ProcessRuntimeError?) {
        let waiter = lifecycle.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .finished(error) }
            guard case .running(let waiter) = state else { return nil }
            return waiter
        }
        waiter?.resume()
    }
}

extension ObservabilityServer: CustomStringConvertible {
    public var description: String { "ObservabilityServer(\(address))" }
}
