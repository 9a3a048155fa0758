import Foundation
import JobRuntime
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// One dedicated Postgres connection, on a thread of its own, LISTENing on
/// `itp_product` (``ProductTransition`` NOTIFYs the product id on every status change)
/// and waking the server-sent-event streams of that product. One connection serves
/// every stream of the process, however many clients listen.
///
/// Notifications sent while the connection is down are lost, so after every (re)connect
/// all subscribers are woken and re-read their product.
final class ProductEventHub: Service, Sendable {
    static let channel = "itp_product"

    private struct State {
        var subscribers: [UUID: [UInt64: WakeSignal]] = [:]
        var nextID: UInt64 = 0
        var listening = false
        var stopped = false
    }

    private let conninfo: String
    private let logger: Logger
    private let state = Mutex(State())

    init(conninfo: String, logger: Logger) {
        self.conninfo = conninfo
        self.logger = logger
    }

    /// Whether the LISTEN connection is up (for readiness and tests).
    var isListening: Bool { state.withLock { $0.listening } }

    /// Wake-ups for `product` until the returned cancel closure runs (or the hub stops).
    func subscribe(_ product: UUID) -> (wakeup: WakeSignal, cancel: @Sendable () -> Void) {
        let wakeup = WakeSignal()
        let id: UInt64? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.nextID += 1
            state.subscribers[product, default: [:]][state.nextID] = wakeup
            return state.nextID
        }
        guard let id else {
            wakeup.close()
            return (wakeup, {})
        }
        return (wakeup, { [self] in
            state.withLock { state in
                state.subscribers[product]?[id] = nil
                if state.subscribers[product]?.isEmpty == true { state.subscribers[product] = nil }
            }
        })
    }

    func run() async throws {
        let listener = NotificationListener(
            conninfo: conninfo, channel: Self.channel, logger: logger,
            onConnection: { [self] connected in
                state.withLock { $0.listening = connected }
                if connected { wakeAll() }
            },
            onNotifications: { [self] notifications in
                let products = Set(notifications.compactMap { UUID(uuidString: $0.payload) })
                if !products.isEmpty { wake(products) }
            })
        listener.start()
        try? await gracefulShutdown()
        listener.stop()
        // Streams end (their clients reconnect to another instance).
        let all = state.withLock { state -> [WakeSignal] in
            state.stopped = true
            defer { state.subscribers = [:] }
            return state.subscribers.values.flatMap(\.values)
        }
        all.forEach { $0.close() }
    }

    private func wake(_ products: Set<UUID>) {
        let wakeups = state.withLock { state in
            products.flatMap { product in state.subscribers[product].map { Array($0.values) } ?? [] }
        }
        wakeups.forEach { $0.signal() }
    }

    private func wakeAll() {
        state.withLock { $0.subscribers.values.flatMap(\.values) }.forEach { $0.signal() }
    }
}
