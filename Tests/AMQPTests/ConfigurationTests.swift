import AMQP
import Testing

@Suite struct ConfigurationTests {
    @Test func parsesFullURL() throws {
        let configuration = try AMQPConfiguration(url: "amqp://alice:s%40cret@broker.example:5673/%2f")
        #expect(configuration.endpoints == [AMQPEndpoint(host: "broker.example", port: 5673)])
        #expect(configuration.username == "alice")
        #expect(configuration.password == "s@cret")
        #expect(configuration.virtualHost == "/")
    }

    @Test func appliesDefaults() throws {
        let configuration = try AMQPConfiguration(url: "amqp://localhost")
        #expect(configuration.endpoints == [AMQPEndpoint(host: "localhost", port: 5672, usesTLS: false)])
        #expect(configuration.tls.verifyPeer && configuration.tls.verifyHostname)
        #expect(configuration.virtualHost == "/")
        #expect(configuration.username == "guest")
        #expect(configuration.password == "guest")
    }

    @Test func namedVirtualHostAndIPv6() throws {
        let configuration = try AMQPConfiguration(url: "amqp://u:p@[::1]:5700/itp")
        #expect(configuration.endpoints == [AMQPEndpoint(host: "::1", port: 5700)])
        #expect(configuration.virtualHost == "itp")
    }

    @Test(arguments: [
        ("http://host", "scheme"),
        ("amqpx://host", "scheme"),
        ("amqp://h1,", "empty"),
        ("amqp://u:p@h1/%2f,amqp://u:q@h2/%2f", "same user"),
        ("amqp://u:p@h1/itp,amqp://u:p@h2/other", "same user"),
        ("amqp://h1,amqp://h2:0", "port"),
        ("amqp://host:notaport", "port"),
        ("amqp://host:70000", "port"),
        ("amqp://", "host"),
        ("amqp://host/a/b", "vhost"),
        ("amqp://host/%zz", "vhost"),
        ("localhost:5672", "scheme"),
    ])
    func rejectsBadURLs(url: String, mentions: String) {
        do {
            _ = try AMQPConfiguration(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.code == .invalidURL)
            #expect(error.detail.contains(mentions), "\(error.detail)")
        }
    }

    @Test func parsesAListOfNodes() throws {
        let configuration = try AMQPConfiguration(
            url: "amqps://itp:s%2Cx@rabbit1:5671/itp, amqps://itp:s%2Cx@rabbit2/itp,amqp://itp:s%2Cx@[::1]:5680/itp")
        #expect(configuration.endpoints == [
            AMQPEndpoint(host: "rabbit1", port: 5671, usesTLS: true),
            AMQPEndpoint(host: "rabbit2", port: 5671, usesTLS: true),
            AMQPEndpoint(host: "::1", port: 5680, usesTLS: false),
        ])
        #expect(configuration.username == "itp")
        #expect(configuration.password == "s,x")
        #expect(configuration.virtualHost == "itp")
        #expect(configuration.endpoints.map(\.description) == ["amqps://rabbit1:5671", "amqps://rabbit2:5671", "amqp://[::1]:5680"])
    }

    @Test func amqpsDefaultsToPort5671() throws {
        let configuration = try AMQPConfiguration(url: "amqps://localhost/%2f")
        #expect(configuration.endpoints == [AMQPEndpoint(host: "localhost", port: 5671, usesTLS: true)])
    }
}
