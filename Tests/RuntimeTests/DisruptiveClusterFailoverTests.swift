import FleetTesting
import Foundation
import JobRuntime
import Testing

/// Two canary workers given the three-node cluster's address list; mid-run, the node the
/// first worker is connected to is killed (kill -9). The worker moves to another node and
/// every job completes exactly once. Boots its own cluster, so it is Disruptive.
@Suite(.serialized) struct DisruptiveClusterFailoverTests {
    static let jobs = 300

    @Test func aWorkersNodeKilledMidRunMovesItAndEveryJobCompletesOnce() async throws {
        let cluster = try ClusterTestEnvironment.start(try TestEnvironment.require())
        defer { try? cluster.stop() }
        // The work queue is declared now that all three nodes run: a quorum queue on all three.
        let fixture = try await RuntimeFixture.make(amqpURL: cluster.amqpURL)
        #expect(Set(try await cluster.queueMembers(fixture.queue.name)) == Set(cluster.nodeNames))
        let workers = try (0..<2).map { _ in try fixture.spawnWorker(prefetch: 8) }
        defer { workers.forEach { $0.signal(SIGKILL) } }
        try await waitUntil("both workers logged in", timeout: .seconds(120)) {
            workers.allSatisfy { !$0.connectedPorts.isEmpty }
        }
        let ids = try await fixture.enqueue((0..<Self.jobs).map { CanaryHandler.Payload(echo: "\($0)", sleepMilliseconds: 20) })
        try await waitUntil("a fifth of the jobs done before the fault", timeout: .seconds(120)) {
            try await fixture.count("SELECT count(*) FROM canary_results") >= Self.jobs / 5
        }

        let port = try #require(workers[0].connectedPorts.last)
        let node = try #require(cluster.node(port: port), "worker connected to \(port), cluster ports \(cluster.ports)")
        let doneBefore = try await fixture.count("SELECT count(*) FROM canary_results")
        try cluster.killNode(node)
        #expect(doneBefore < Self.jobs, "every job finished before the kill: nothing ran through the move")

        try await waitUntil("the worker logged in to another node", timeout: .seconds(120)) {
            let ports = workers[0].connectedPorts
            return ports.count >= 2 && ports.last != port
        }
        // What an operator sees while the node is down: `itp-admin status` names it, the other two up.
        let status = try await ProcessRunner.run(
            try BuiltProducts.path("itp-admin"), ["status", "--database-url", fixture.conninfo, "--amqp-url", cluster.amqpURL]).stdout
        #expect(status.contains("node amqp://\(cluster.hosts[node - 1]):\(port): DOWN ("), "\(status)")
        #expect(status.components(separatedBy: ": up\n").count - 1 == 2, "\(status)")

        try await waitUntil("all \(Self.jobs) jobs succeeded", timeout: .seconds(300)) {
            (try? await fixture.count("SELECT count(*) FROM jobs WHERE state = 'succeeded'")) == Self.jobs
        }
        // Exactly one effect per job (canary_results is keyed by job id).
        #expect(try await fixture.count("SELECT count(*) FROM canary_results") == ids.count)
        #expect(try await fixture.count("SELECT count(DISTINCT job_id) FROM canary_results") == ids.count)
        try await waitUntil("the outbox to drain", timeout: .seconds(120)) {
            try await fixture.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        }
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 0)
        for worker in workers { #expect(worker.isRunning, "a worker died: \(worker.log.suffix(1500))") }
        #expect(!workers[0].connectedPorts.dropFirst().contains(port), "the worker went back to the killed node")
        await fixture.tearDown()
    }
}
