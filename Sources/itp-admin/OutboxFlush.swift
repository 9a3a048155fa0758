import AMQP
import Foundation
import JobRuntime
import Postgres
import Settings

/// Publishes the outbox rows an admin command just committed, with the fleet's own relay
/// (`OutboxRelay.relayBatch`: locks a batch, publishes with confirms, marks it published in
/// the same commit), so a replay goes out even when no daemon runs. itp-admin is
/// short-lived: it waits at most `timeout`; whatever is still unpublished then stays in the
/// outbox, unlocked, and the relay of any running daemon publishes it. Nothing is lost
/// either way.
enum OutboxFlush {
    struct Report: Sendable {
        var published: Int
        var pending: Int
        var lastError: String?
    }

    static func publish(_ messageIDs: [UUID], settings: DaemonSettings, database: PostgresClient, timeout: Duration) async -> Report {
        guard !messageIDs.isEmpty else { return Report(published: 0, pending: 0) }
        let broker: AMQPConnection
        do throws(AdminBroker.Failure) {
            broker = try await AdminBroker.open(settings)
        } catch {
            let reason = switch error {
            case .invalidSetting(let error): "\(error)"
            case .unreachable(let error): "broker unreachable: \(String(reflecting: error))"
            }
            return Report(published: 0, pending: messageIDs.count, lastError: reason)
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
                return try row.decode((Int, String?).self)
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
