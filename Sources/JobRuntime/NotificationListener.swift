import Foundation
import Logging
import Postgres
import Synchronization

/// Holds one dedicated Postgres connection on its own thread, LISTENing on a channel, and
/// turns notifications whose payload matches into wake-ups. After a reconnect it wakes
/// once, because notifications sent while it was away are lost.
final class NotificationListener: Sendable {
    let wakeups = WakeSignal()
    private let stopped = Atomic<Bool>(false)
    private let conninfo: String
    private let channel: String
    private let payload: String?
    private let logger: Logger

    /// - Parameter payload: only notifications with this payload wake (nil: all).
    init(conninfo: String, channel: String, payload: String?, logger: Logger) {
        self.conninfo = conninfo
        self.channel = channel
        self.payload = payload
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in listenLoop() }
        thread.name = "pg-listen-\(channel)"
        thread.start()
    }

    /// Stops within one poll interval.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func listenLoop() {
        var delay = Duration.milliseconds(100)
        while !stopped.load(ordering: .relaxed) {
            do {
                let connection = try PostgresConnection.connect(conninfo, logger: logger)
                defer { connection.close() }
                try connection.listen(channel)
                delay = .milliseconds(100)
                wakeups.signal()
                while !stopped.load(ordering: .relaxed) {
                    let notifications = try connection.waitForNotifications(timeout: .milliseconds(250))
                    if notifications.contains(where: { payload == nil || $0.payload == payload }) {
                        wakeups.signal()
                    }
                }
            } catch {
                logger.warning("listen connection failed; reconnecting", metadata: ["db.channel": "\(channel)", "error": "\(error)"])
                Thread.sleep(forTimeInterval: Double(delay / .milliseconds(1)) / 1000)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
