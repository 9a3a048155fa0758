import FleetTesting
import Foundation
import JobRuntime
import Testing

/// A broker restart and a Postgres restart in the middle of a stream of 500 jobs: every
/// job completes, none takes effect twice, no outbox row stays unpublished. These restart
/// the shared servers, so `scripts/test` runs them alone, after every other test.
@Suite(.serialized) struct DisruptiveRestartTests {
    static let jobs = 500

    func runStream(restart: (TestEnvironment) throws -> Void) async throws {
        let fixture = try await RuntimeFixture.make()
        let workers = try (0..<2).map { _ in try fixture.spawnWorker(prefetch: 8) }
        defer { workers.forEach { $0.signal(SIGKILL) } }
        let ids = try await fixture.enqueue((0..<Self.jobs).map { CanaryHandler.Payload(echo: "\($0)", sleepMilliseconds: 20) })

        try await waitUntil("a fifth of the jobs done before the fault") {
            try await fixture.count("SELECT count(*) FROM canary_results") >= Self.jobs / 5
        }
        try restart(fixture.env)

        try await waitUntil("all \(Self.jobs) jobs succeeded", timeout: .seconds(240)) {
            (try? await fixture.count("SELECT count(*) FROM jobs WHERE state = 'succeeded'")) == Self.jobs
        }
        // Exactly one effect per job (canary_results is keyed by job id: a second
        // application would have failed, so count the effects and their jobs).
        #expect(try await fixture.count("SELECT count(*) FROM canary_results") == ids.count)
        #expect(try await fixture.count("SELECT count(DISTINCT job_id) FROM canary_results") == ids.count)
        try await waitUntil("the outbox to drain", timeout: .seconds(120)) {
            try await fixture.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        }
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 0)
        for worker in workers { #expect(worker.isRunning, "a worker died: \(worker.log.suffix(1500))") }
        await fixture.tearDown()
    }

    @Test func brokerKilledAndRestartedDuringFiveHundredJobs() async throws {
        try await runStream { env in
            try env.servers("broker-stop", "--kill")
            try env.servers("broker-start")
        }
    }

    @Test func postgresRestartedDuringFiveHundredJobs() async throws {
        try await runStream { env in
            try env.servers("postgres-stop", "--immediate")
            try env.servers("postgres-start")
        }
    }
}
