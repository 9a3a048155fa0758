import FleetTesting
import Postgres
import Testing

@Suite struct NotificationTests {
    /// Collects notifications until one on `channel` arrives or the deadline passes.
    private func awaitNotification(on connection: PostgresConnection, channel: String) throws -> PostgresNotification? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while clock.now < deadline {
            let received = try connection.waitForNotifications(timeout: clock.now.duration(to: deadline))
            if let match = received.first(where: { $0.channel == channel }) { return match }
        }
        return nil
    }

    @Test func listenReceivesNotifyFromAnotherConnection() throws {
        let url = try TestEnvironment.require().databaseURL
        let listener = try PostgresConnection.connect(url)
        defer { listener.close() }
        let notifier = try PostgresConnection.connect(url)
        defer { notifier.close() }
        let channel = uniqueName("Jobs Ready")  // mixed case and a space: quoted as an identifier
        let payload = #"{"job": "it's \"done\"", "emoji": "🧵"}"#

        try listener.listen(channel)
        try notifier.notify(channel, payload: payload)

        let notification = try #require(try awaitNotification(on: listener, channel: channel))
        #expect(notification.payload == payload)
        #expect(notification.processID == notifier.backendProcessID)
    }

    @Test func notifyInsideATransactionIsDeliveredOnCommit() throws {
        let url = try TestEnvironment.require().databaseURL
        let listener = try PostgresConnection.connect(url)
        defer { listener.close() }
        let notifier = try PostgresConnection.connect(url)
        defer { notifier.close() }
        let channel = uniqueName("outbox")
        try listener.listen(channel)

        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try notifier.transaction { tx in
                try tx.notify(channel, payload: "rolled back")
                throw Abort()
            }
        }
        try notifier.transaction { tx in try tx.notify(channel, payload: "committed") }

        // Only the committed notification is ever delivered, so it is the first to arrive.
        let notification = try #require(try awaitNotification(on: listener, channel: channel))
        #expect(notification.payload == "committed")
    }

    @Test func waitingWithoutNotificationsReturnsEmpty() throws {
        let connection = try PostgresConnection.connect(try TestEnvironment.require().databaseURL)
        defer { connection.close() }
        try connection.listen(uniqueName("quiet"))
        #expect(try connection.waitForNotifications(timeout: .milliseconds(50)).isEmpty)
    }
}
