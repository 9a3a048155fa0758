import AMQP
import Testing

@Suite struct ConfigurationTests {
    @Test func parsesFullURL() throws {
        let configuration = try AMQPConfiguration(url: "amqp://alice:s%40cret@broker.example:5673/%2f")
        #expect(configuration.host == "broker.example")
        #expect(configuration.port == 5673)
        #expect(configuration.username == "alice")
        #expect(configuration.password == "s@cret")
        #expect(configuration.virtualHost == "/")
    }

    @Test func appliesDefaults() throws {
        let configuration = try AMQPConfiguration(url: "amqp://localhost")
        #expect(configuration.port == 5672)
        #expect(configuration.virtualHost == "/")
        #expect(configuration.username == "guest")
        #expect(configuration.password == "guest")
    }

    @Test func namedVirtualHostAndIPv6() throws {
        let configuration = try AMQPConfiguration(url: "amqp://u:p@[::1]:5700/itp")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5700)
        #expect(configuration.virtualHost == "itp")
    }

    @Test(arguments: [
        ("http://host", "scheme"),
        ("amqps://host", "scheme"),
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
}
