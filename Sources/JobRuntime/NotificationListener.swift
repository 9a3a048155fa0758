import Foundation
public import Logging
public import Postgres
import Synchronization
import Vocabulary

/// Holds one dedicated Postgres connection on its own thread, LISTENing on a channel, and
/// hands notifications to a callback. Notifications sent while the connection is down are
/// lost, so `onConnection(true)` after every (re)connect tells the owner to re-read what
/// it watches. Used by the outbox relay and the intake's server-sent-event streams.
public final class NotificationListener: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let conninfo: String
    private let channel: String
    private let logger: Logger
    private let onConnection: @Sendable (Bool) -> Void
    private let onNotifications: @Sendable ([PostgresNotification]) -> Void

    public init(
        conninfo: String, channel: String, logger: Logger,
        onConnection: @escaping @Sendable (_ connected: Bool) -> Void = { _ in },
        onNotifications: @escaping @Sendable ([PostgresNotification]) -> Void
    ) {
        self.conninfo = conninfo
        self.channel = channel
        self.logger = logger
        self.onConnection = onConnection
        self.onNotifications = onNotifications
    }

    public func start() {
        let thread = Thread { [self] in listenLoop() }
        thread.name = "pg-listen-\(channel)"
        thread.start()
    }

    /// Stops within one poll interval.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func listenLoop() {
        var delay = Duration.milliseconds(100)
        while !stopped.load(ordering: .relaxed) {
            do {
                let connection = try PostgresConnection.connect(conninfo, logger: logger)
                defer {
                    connection.close()
                    onConnection(false)
                }
                try connection.listen(channel)
                delay = .milliseconds(100)
                onConnection(true)
                while !stopped.load(ordering: .relaxed) {
                    let notifications = try connection.waitForNotifications(timeout: .milliseconds(250))
                    if !notifications.isEmpty { onNotifications(notifications) }
                }
            } catch {
                logger.warning("LISTEN connection failed; reconnecting", metadata: [LogKey.dbChannel: "\(channel)", LogKey.error: .error(error)])
                Thread.sleep(forTimeInterval: Double(delay / .milliseconds(1)) / 1000)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
