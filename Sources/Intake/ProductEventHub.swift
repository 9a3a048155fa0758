import Foundation
import JobRuntime
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// One dedicated Postgres connection, on a thread of its own, LISTENing on
/// `itp_product` (the product id, on every change of a product or one of its assets) and
/// `itp_api_key` (a key's prefix, on every change of it): it wakes the server-sent-event
/// streams of that product and drops what ``IntakeCaches`` held for it. One connection
/// serves every stream and cache of the process, however many clients listen.
///
/// Notifications sent while the connection is down are lost, so after every (re)connect
/// all subscribers are woken and re-read their product, and the caches start empty.
final class ProductEventHub: Service, Sendable {
    private struct State {
        var subscribers: [UUID: [UInt64: WakeSignal]] = [:]
        var nextID: UInt64 = 0
        var listening = false
        var stopped = false
    }

    private let conninfo: String
    private let logger: Logger
    private let caches: IntakeCaches
    private let state = Mutex(State())

    init(conninfo: String, caches: IntakeCaches, logger: Logger) {
        self.conninfo = conninfo
        self.caches = caches
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
            conninfo: conninfo, channels: [IntakeCaches.productChannel, IntakeCaches.apiKeyChannel], logger: logger,
            onConnection: { [self] connected in
                caches.listening(connected)
                state.withLock { $0.listening = connected }
                if connected { wakeAll() }
            },
            onNotifications: { [self] notifications in
                let keys = notifications.filter { $0.channel == IntakeCaches.apiKeyChannel }.map(\.payload)
                if !keys.isEmpty { caches.keys.invalidate(keys) }
                let products = Set(notifications.filter { $0.channel == IntakeCaches.productChannel }.compactMap { UUID(uuidString: $0.payload) })
                guard !products.isEmpty else { return }
                caches.galleries.invalidate(products)
                wake(products)
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
