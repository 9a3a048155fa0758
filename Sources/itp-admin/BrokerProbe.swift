import AMQP
import JobRuntime
import Logging
import Settings

/// Reports whether the broker answers and, per work queue, the messages ready, the
/// consumers and the dead-letter queue's depth (passive declares: exact, but they read 0 for
/// a second or two after a broker restart — FIELD-NOTES.md).
enum BrokerProbe {
    static func printStatus(_ settings: DaemonSettings) async {
        let url = DaemonBoot.redacted(settings.amqpURL)
        guard var configuration = try? AMQPConfiguration(url: settings.amqpURL) else {
            print("broker: \(url) (not a valid URL)")
            return
        }
        configuration.connectionName = "itp-admin"
        configuration.connectTimeout = .seconds(5)
        var logger = Logger(label: "itp-admin")
        logger.logLevel = .warning
        let broker: AMQPConnection
        do {
            broker = try await AMQPConnection.connect(configuration: configuration, logger: logger)
        } catch {
            print("broker: \(url) unreachable (\(error))")
            return
        }
        print("broker: connected to \(url)")
        for queue in Topology().workQueues {
            do {
                let work = try await broker.declareQueue(name: queue.name, passive: true)
                let dead = try await broker.declareQueue(name: queue.deadLetterQueue, passive: true)
                print("  \(queue.name): \(work.messageCount) ready, \(work.consumerCount) consumers, \(dead.messageCount) dead-lettered waiting")
            } catch {
                print("  \(queue.name): not declared (run: itp-admin broker setup)")
            }
        }
        await broker.close()
    }
}
