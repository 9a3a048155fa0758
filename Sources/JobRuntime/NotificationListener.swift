import Foundation
public import Logging
public import Postgres
import Synchronization
import Vocabulary

/// Holds one dedicated Postgres connection on its own thread, LISTENing on one or more
/// channels, and hands notifications to a callback. Notifications sent while the connection
/// is down are lost, so `onConnection(true)` after every (re)connect tells the owner to
/// re-read what it watches (and `onConnection(false)` to stop trusting what it cached). Used
/// by the outbox relay and the intake's event streams and caches.
public final class NotificationListener: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let conninfo: String
    private let channels: [String]
    private let logger: Logger
    private let onConnection: @Sendable (Bool) -> Void
    private let onNotifications: @Sendable ([PostgresNotification]) -> Void

    public init(
        conninfo: String, channels: [String], logger: Logger,
        onConnection: @escaping @Sendable (_ connected: Bool) -> Void = { _ in },
        onNotifications: @escaping @Sendable ([PostgresNotification]) -> Void
    ) {
        precondition(!channels.isEmpty, "a listener needs a channel")
        self.conninfo = conninfo
        self.channels = channels
        self.logger = logger
        self.onConnection = onConnection
        self.onNotifications = onNotifications
    }

    public func start() {
        let thread = Thread { [self] in listenLoop() }
        thread.name = "pg-listen-\(channels[0])"
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
                for channel in channels { try connection.listen(channel) }
                delay = .milliseconds(100)
                onConnection(true)
                while !stopped.load(ordering: .relaxed) {
                    let notifications = try connection.waitForNotifications(timeout: .milliseconds(250))
                    if !notifications.isEmpty { onNotifications(notifications) }
                }
            } catch {
                logger.warning("LISTEN connection failed; reconnecting", metadata: [LogKey.dbChannel: "\(channels.joined(separator: ","))", LogKey.error: .error(error)])
                Thread.sleep(forTimeInterval: Double(delay / .milliseconds(1)) / 1000)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
