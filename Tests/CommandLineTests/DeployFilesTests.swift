import FleetTesting
import Foundation
import JobRuntime
import ProductFlow
import Testing

/// The files under deploy/ describe the fleet as it is: the broker definitions are the
/// generator's output for the vhost the example env file uses, and the KEDA file scales
/// every worker kind with a TriggerAuthentication that exists.
@Suite struct DeployFilesTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: SystemdUnitTests.repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The vhost of `ITP_AMQP_URL` in deploy/itp.env.example (percent-decoded).
    static func exampleVhost() throws -> String {
        let line = try #require(try text("deploy/itp.env.example").split(separator: "\n").first { $0.hasPrefix("ITP_AMQP_URL=") })
        let url = line.dropFirst("ITP_AMQP_URL=".count)
        let slash = try #require(url.lastIndex(of: "/"))
        return try #require(String(url[url.index(after: slash)...]).removingPercentEncoding)
    }

    @Test func theShippedDefinitionsAreTheGeneratorsOutputForTheExampleVhost() async throws {
        let vhost = try Self.exampleVhost()
        #expect(vhost == "itp")
        let generated = try await ProcessRunner.capture(try BuiltProducts.path("itp-admin"), ["broker", "definitions", "--vhost", vhost])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout == (try Self.text("deploy/rabbitmq-definitions.json")),
                "deploy/rabbitmq-definitions.json differs from `itp-admin broker definitions --vhost \(vhost)`")

        let document = try #require(try JSONSerialization.jsonObject(with: Data(generated.stdout.utf8)) as? [String: Any])
        #expect((document["vhosts"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == [vhost])
        for key in ["exchanges", "queues", "bindings"] {
            let entries = try #require(document[key] as? [[String: Any]], "\(key)")
            #expect(!entries.isEmpty)
            for entry in entries { #expect(entry["vhost"] as? String == vhost, "\(key): \(entry)") }
        }
        // Everything `broker setup` declares is in it.
        let queues = Set(((document["queues"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        let topology = ProductQueues.topology
        for queue in topology.workQueues {
            #expect(queues.contains(queue.name))
            #expect(queues.contains(queue.deadLetterQueue))
            for tier in Topology.delayTiers { #expect(queues.contains(queue.delayQueue(tier)), "\(queue.delayQueue(tier))") }
        }
        let exchanges = Set(((document["exchanges"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
        #expect(exchanges == Set(topology.exchanges.map(\.name)))
    }

    /// The three-node files: the definitions are the generator's output with a quorum group of
    /// 3 on every queue (and otherwise the single-node file), and the env example lists three
    /// amqps:// nodes of the same vhost with the certificate settings.
    @Test func theThreeNodeFilesAreTheGeneratorsOutputAndListThreeTLSNodes() async throws {
        let vhost = try Self.exampleVhost()
        let generated = try await ProcessRunner.capture(
            try BuiltProducts.path("itp-admin"), ["broker", "definitions", "--vhost", vhost, "--quorum-initial-group-size", "3"])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout == (try Self.text("deploy/rabbitmq-definitions-three-node.json")),
                "deploy/rabbitmq-definitions-three-node.json differs from `itp-admin broker definitions --vhost \(vhost) --quorum-initial-group-size 3`")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(generated.stdout.utf8)) as? [String: Any])
        let queues = try #require(document["queues"] as? [[String: Any]])
        #expect(queues.count == ProductQueues.topology.queues.count)
        for queue in queues {
            let arguments = queue["arguments"] as? [String: Any]
            #expect(arguments?["x-quorum-initial-group-size"] as? Int == 3, "\(queue)")
            #expect(arguments?["x-queue-type"] as? String == "quorum", "\(queue)")
        }
        let invalid = try await ProcessRunner.capture(
            try BuiltProducts.path("itp-admin"), ["broker", "definitions", "--quorum-initial-group-size", "0"])
        #expect(invalid.status != 0)

        let env = try Self.text("deploy/itp-three-node.env.example").split(separator: "\n")
        let amqp = try #require(env.first { $0.hasPrefix("ITP_AMQP_URL=") })
        let urls = amqp.dropFirst("ITP_AMQP_URL=".count).split(separator: ",")
        #expect(urls.count == 3, "\(amqp)")
        for url in urls {
            #expect(url.hasPrefix("amqps://"), "\(url)")
            #expect(url.hasSuffix("/\(vhost)"), "\(url)")
        }
        for setting in ["ITP_AMQP_CA_FILE=", "ITP_AMQP_CERT_FILE=", "ITP_AMQP_KEY_FILE="] {
            #expect(env.contains { $0.hasPrefix(setting) }, "\(setting) is not set in deploy/itp-three-node.env.example")
        }
    }

    @Test func kedaScalesEveryWorkerKindThroughATriggerAuthenticationThatExists() async throws {
        let documents = try Self.text("deploy/keda-scaledobject.yaml").components(separatedBy: "\n---\n")
        func value(_ key: String, in document: String) -> [String] {
            document.split(separator: "\n").compactMap { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix("\(key): ") else { return nil }
                let raw = trimmed.dropFirst(key.count + 2)
                return String(raw.split(separator: "#").first ?? "").trimmingCharacters(in: .whitespaces)
            }
        }
        let scaled = documents.filter { value("kind", in: $0) == ["ScaledObject"] }
        let authentications = documents.filter { value("kind", in: $0) == ["TriggerAuthentication"] }
        #expect(authentications.count == 1)
        let authenticationNames = Set(authentications.flatMap { doc in value("name", in: doc).prefix(1) })

        let workerQueues = [ProductQueues.designGenerate, ProductQueues.mockupFlatLay, ProductQueues.mockupMrImagine].map(\.name)
        let scaledQueues = scaled.flatMap { value("queueName", in: $0) }
        #expect(Set(scaledQueues) == Set(workerQueues), "\(scaledQueues)")
        #expect(scaledQueues.count == workerQueues.count)
        for document in scaled {
            // metadata.name first, then scaleTargetRef.name, then authenticationRef.name.
            let names = value("name", in: document)
            #expect(names.count == 3, "\(document)")
            #expect(authenticationNames.contains(names.last ?? ""), "\(names)")
            #expect(names.count >= 2 && names[0] == names[1], "the ScaledObject is named after its Deployment: \(names)")
        }
        // The secret the authentication reads holds a URL in the example's vhost.
        let secret = try #require(documents.first { value("kind", in: $0) == ["Secret"] })
        #expect(value("host", in: secret).first?.hasSuffix("/\(try Self.exampleVhost())") == true)
    }
}
