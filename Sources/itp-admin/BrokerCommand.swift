import AMQP
import ArgumentParser
import JobRuntime
import Logging
import ProductFlow
import Settings
import WorkerDaemon

struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Declare the broker topology, or print it as RabbitMQ definitions.",
        subcommands: [BrokerSetupCommand.self, BrokerDefinitionsCommand.self])
}

struct BrokerSetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Declare exchanges, quorum work queues, delay queues, dead-letter queues and bindings (idempotent).")

    @OptionGroup var options: DaemonOptions

    @Option(help: .init(BrokerDefinitionsCommand.groupSizeHelp))
    var quorumInitialGroupSize: Int?

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin broker setup")
        let topology = try BrokerDefinitionsCommand.topology(quorumInitialGroupSize)
        let broker = await AdminBroker.connect(settings)
        defer { Task { await broker.close() } }
        do {
            for line in try await topology.declare(on: broker) { print(line) }
        } catch {
            AdminFailure.fail("broker setup failed: \(error)", code: 1)
        }
        await broker.close()
    }
}

struct BrokerDefinitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "definitions",
        abstract: "Print the topology as a RabbitMQ definitions file (deploy/rabbitmq-definitions.json is this output).")

    @Option(help: "The virtual host the definitions declare and name (the vhost of ITP_AMQP_URL; deploy/itp.env.example uses itp).")
    var vhost = "/"

    @Option(help: .init(groupSizeHelp))
    var quorumInitialGroupSize: Int?

    static let groupSizeHelp = """
        Replicas of every quorum queue (x-quorum-initial-group-size; deploy/rabbitmq-definitions-three-node.json uses 3). \
        Default: none given, one replica on every cluster node at declare time. Fixed at declaration: use the same value \
        in `broker setup` and `broker definitions` for a vhost.
        """

    func run() throws {
        print(try Self.topology(quorumInitialGroupSize).definitionsJSON(vhost: vhost), terminator: "")
    }

    static func topology(_ groupSize: Int?) throws -> Topology {
        if let groupSize, !(1...9).contains(groupSize) {
            throw ValidationError("--quorum-initial-group-size: expected 1 to 9, got \(groupSize)")
        }
        var topology = ProductQueues.topology
        topology.quorumInitialGroupSize = groupSize
        return topology
    }
}

/// itp-admin's broker connection: named `itp-admin`, giving up on connecting after 5 s.
enum AdminBroker {
    enum Failure: Error {
        /// `ITP_AMQP_URL` or a certificate setting is unusable (the error names it).
        case invalidSetting(SettingsError)
        case unreachable(any Error)
    }

    /// The connection, or why there is none (for commands that report it themselves).
    static func open(_ settings: DaemonSettings) async throws(Failure) -> AMQPConnection {
        let configuration = try configuration(settings)
        do {
            return try await AMQPConnection.connect(configuration: configuration, logger: AdminLog.broker)
        } catch {
            throw .unreachable(error)
        }
    }

    /// The connection settings of `ITP_AMQP_URL` and the certificate settings, giving up on
    /// connecting after 5 s.
    static func configuration(_ settings: DaemonSettings) throws(Failure) -> AMQPConfiguration {
        var configuration: AMQPConfiguration
        do {
            configuration = try settings.brokerConfiguration(name: "itp-admin")
        } catch {
            throw .invalidSetting(error)
        }
        configuration.connectTimeout = .seconds(5)
        return configuration
    }

    /// The connection, or the command ends with the reason (exit 78 for a bad URL).
    static func connect(_ settings: DaemonSettings) async -> AMQPConnection {
        do throws(Failure) {
            return try await open(settings)
        } catch {
            switch error {
            case .invalidSetting(let error):
                AdminFailure.fail("\(error)", code: SettingsError.exitCode)
            case .unreachable(let error):
                AdminFailure.fail("broker unreachable: \(String(reflecting: error))", code: AdminFailure.unavailable)
            }
        }
    }
}
