import AMQP
import FleetTesting
import Foundation
import Logging
import Testing

/// `amqps://` against the private broker's TLS listener (turned on by `scripts/servers
/// tls-enable`, which restarts the broker the first time: hence Disruptive). Peer and
/// host-name verification are on, as they are by default.
@Suite(.serialized) struct DisruptiveBrokerTLSTests {
    private func configuration(_ tls: TLSTestEnvironment, name: String, url: String? = nil) throws -> AMQPConfiguration {
        var configuration = try AMQPConfiguration(url: url ?? tls.amqpsURL)
        configuration.tls = AMQPTLSConfiguration(caFile: tls.caFile)
        configuration.connectionName = name
        configuration.connectTimeout = .seconds(10)
        return configuration
    }

    private var logger: Logger {
        var logger = Logger(label: "amqp-tls-test")
        logger.logLevel = .critical
        return logger
    }

    @Test func aVerifiedTLSConnectionPublishesAndConsumes() async throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        let configuration = try configuration(tls, name: "tls-verified")
        #expect(configuration.tls.verifyPeer && configuration.tls.verifyHostname)
        let connection = try await AMQPConnection.connect(configuration: configuration, logger: logger)
        #expect(connection.connectedEndpoint == AMQPEndpoint(host: "localhost", port: tls.amqpsPort, usesTLS: true))
        let queue = uniqueName("amqp_tls")
        try await connection.declareQueue(name: queue, arguments: quorumArguments)
        let inbox = Inbox(try await connection.consume(queue: queue, prefetch: 50))
        for index in 0..<20 { try await connection.publish(exchange: "", routingKey: queue, body: bytes("tls\(index)")) }
        try await waitUntil("20 deliveries over TLS") { inbox.count == 20 }
        #expect(Set(inbox.deliveries.map { text($0.body) }) == Set((0..<20).map { "tls\($0)" }))
        for delivery in inbox.deliveries { try await connection.ack(delivery) }
        try await connection.deleteQueue(name: queue)
        await connection.close()
    }

    @Test func aClientCertificateIsPresented() async throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        var configuration = try configuration(tls, name: "tls-client-cert")
        configuration.tls.certificateFile = tls.clientCertificateFile
        configuration.tls.keyFile = tls.clientKeyFile
        try configuration.tls.check()
        let connection = try await AMQPConnection.connect(configuration: configuration, logger: logger)
        let queue = uniqueName("amqp_tls_cert")
        let declared = try await connection.declareQueue(name: queue, durable: false, autoDelete: true)
        #expect(declared.name == queue)
        await connection.close()
    }

    @Test func aWrongCAFailsAtOnceWithTheReason() async throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        var configuration = try configuration(tls, name: "tls-wrong-ca")
        configuration.tls.caFile = tls.otherCAFile
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(configuration: configuration, logger: logger)
        }
        #expect(error?.code == .tlsFailed)
        #expect(error?.isFatal == true)
        #expect(error?.detail.contains("does not verify against the CA file '\(tls.otherCAFile)'") == true, "\(String(describing: error))")
    }

    /// rabbitmq-c 0.11 ignores IP subject alternative names: 127.0.0.1 fails although the
    /// certificate lists it, and the error says to connect by name.
    @Test func anIPAddressFailsTheHostNameCheck() async throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        let configuration = try configuration(
            tls, name: "tls-ip", url: "amqps://guest:guest@127.0.0.1:\(tls.amqpsPort)/%2f")
        let error = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(configuration: configuration, logger: logger)
        }
        #expect(error?.code == .tlsFailed)
        #expect(error?.detail.contains("does not name '127.0.0.1'") == true, "\(String(describing: error))")
    }

    @Test func aTLSNodeThatIsDownIsSkippedForTheLiveOne() async throws {
        let environment = try TestEnvironment.require()
        let tls = try TLSTestEnvironment.enable(environment)
        // A TLS node that is down (nothing listens) beside the live TLS one.
        let dead = try freeLoopbackPort()
        let configuration = try configuration(
            tls, name: "tls-list", url: "amqps://guest:guest@localhost:\(dead)/%2f,\(tls.amqpsURL)")
        let connection = try await AMQPConnection.connect(configuration: configuration, logger: logger)
        #expect(connection.connectedEndpoint?.port == tls.amqpsPort)
        await connection.close()
    }
}

/// `itp-admin` over TLS to both servers: the address list (a TLS node that is down, then
/// the live one) with the CA setting, and Postgres through `sslmode=verify-full`.
@Suite(.serialized) struct DisruptiveAdminTLSTests {
    private func status(_ tls: TLSTestEnvironment, caFile: String) async throws -> (status: Int32, broker: [String: Any]) {
        let dead = try freeLoopbackPort()
        var environment = ProcessInfo.processInfo.environment
        environment["ITP_AMQP_URL"] = "amqps://guest:guest@localhost:\(dead)/%2f,\(tls.amqpsURL)"
        environment["ITP_AMQP_CA_FILE"] = caFile
        environment["ITP_DATABASE_URL"] = tls.databaseURL
        let output = try await ProcessRunner.capture(try BuiltProducts.path("itp-admin"), ["status", "--json"], environment: environment)
        let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        return (output.status, try #require(document?["broker"] as? [String: Any], "\(output.stdout) \(output.stderr)"))
    }

    @Test func statusReachesBothServersOverTLS() async throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        let (_, broker) = try await status(tls, caFile: tls.caFile)
        #expect(broker["connected"] as? Bool == true, "\(broker)")
    }

    @Test func statusSaysWhyTheBrokerCertificateIsRefused() async throws {
        let tls = try TLSTestEnvironment.enable(try TestEnvironment.require())
        let (_, broker) = try await status(tls, caFile: tls.otherCAFile)
        #expect(broker["connected"] as? Bool == false)
        #expect((broker["error"] as? String)?.contains("does not verify against the CA file") == true, "\(broker)")
    }
}
