import AMQP
import Foundation
import JobRuntime
import Postgres
import Settings

/// Publishes the outbox rows an admin command just committed, with the fleet's own relay
/// (`OutboxRelay.relayBatch`: leases, confirms, marks published), so a replay goes out even
/// when no daemon runs. itp-admin is short-lived: it waits at most `timeout`; whatever is
/// still unpublished then stays in the outbox, and the relay of any running daemon publishes
/// it (its lease lapses after 30 s). Nothing is lost either way.
enum OutboxFlush {
    struct Report: Sendable {
        var published: Int
        var pending: Int
        var lastError: String?
    }

    static func publish(_ messageIDs: [UUID], settings: DaemonSettings, database: PostgresClient, timeout: Duration) async -> Report {
        guard !messageIDs.isEmpty else { return Report(published: 0, pending: 0) }
        var configuration: AMQPConfiguration
        do {
            configuration = try AMQPConfiguration(url: settings.amqpURL)
        } catch {
            return Report(published: 0, pending: messageIDs.count, lastError: "invalid ITP_AMQP_URL: \(error)")
        }
        configuration.connectionName = "itp-admin"
        configuration.connectTimeout = .seconds(5)
        let broker: AMQPConnection
        do {
            broker = try await AMQPConnection.connect(configuration: configuration, logger: AdminLog.broker)
        } catch {
            return Report(published: 0, pending: messageIDs.count, lastError: "broker unreachable: \(error)")
        }
        let relay = OutboxRelay(
            configuration: OutboxRelay.Configuration(listenConninfo: settings.databaseURL), database: database, broker: broker,
            logger: AdminLog.logger())
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var lastError: String?
        while true {
            do {
                _ = try await relay.relayBatch()
            } catch {
                lastError = "\(error)"
            }
            let ids = messageIDs
            let state = try? await database.withConnection { connection in
                let row = try connection.query("""
                    SELECT count(*) FILTER (WHERE published_at IS NULL), max(last_error) FILTER (WHERE published_at IS NULL)
                    FROM outbox WHERE message_id = ANY(\(ids))
                    """)[0]
                return (try row.decode(Int.self, at: 0), try row.decode(String?.self, at: 1))
            }
            if let state {
                if state.0 == 0 {
                    await broker.close()
                    return Report(published: messageIDs.count, pending: 0)
                }
                lastError = state.1 ?? lastError
            }
            if clock.now >= deadline {
                await broker.close()
                return Report(published: messageIDs.count - (state?.0 ?? messageIDs.count), pending: state?.0 ?? messageIDs.count, lastError: lastError)
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
