import FleetTesting
import Foundation
@testable import JobRuntime
import Postgres
import Testing

/// One-transaction jobs that arrive together share a transaction: all of them commit at once
/// with their attempt rows, or — when one cannot go along — nothing of any is written and
/// each runs on its own.
@Suite struct InlineBatchTests {
    private let handler = CanaryHandler(workerID: "test/1")

    private func requests(_ fixture: RuntimeFixture, _ ids: [UUID]) async throws -> [JobStore.InlineRequest] {
        try await fixture.database.withConnection { connection in
            try ids.map { id in
                let payload = try connection.query("SELECT payload::text FROM jobs WHERE id = \(id)").first
                    .map { try $0.decode(String.self, at: 0) } ?? "{}"
                return JobStore.InlineRequest(
                    envelope: JobEnvelope(jobID: id, kind: CanaryHandler.kind, payload: Data(payload.utf8)), redelivered: false)
            }
        }
    }

    private func runBatch(_ fixture: RuntimeFixture, _ requests: [JobStore.InlineRequest]) async throws -> [JobStore.InlineResult]? {
        let handler = self.handler
        return try await fixture.database.withConnection { connection in
            try JobStore.claimAndCompleteBatch(
                requests, worker: "test/1", inline: { try handler.inlineCompletion(for: $0) }, on: connection)
        }
    }

    @Test func aBatchCommitsEveryJobTogetherAndAnswersUnclaimableOnesInOrder() async throws {
        let fixture = try await RuntimeFixture.make()
        let ids = try await fixture.enqueue((0..<5).map { CanaryHandler.Payload(echo: "batch \($0)") })
        let cancelled = try await fixture.enqueue(CanaryHandler.Payload(echo: "cancelled"))
        try await fixture.database.withConnection { connection in
            try connection.execute("UPDATE jobs SET state = 'cancelled', finished_at = now() WHERE id = \(cancelled)")
        }
        let unknown = UUID()
        var batch = try await requests(fixture, ids)
        batch.insert(contentsOf: try await requests(fixture, [cancelled, unknown]), at: 2)

        let results = try #require(try await runBatch(fixture, batch))
        #expect(results.count == 7)
        for (request, result) in zip(batch, results) {
            switch (request.envelope.jobID, result) {
            case (cancelled, .claim(.finished(.cancelled))), (unknown, .claim(.unknown)):
                break
            case (let id, .completed(let job, .succeeded)) where ids.contains(id):
                #expect(job.id == id && job.attempt == 1)
            default:
                Issue.record("unexpected answer \(result) for job \(request.envelope.jobID)")
            }
        }
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = ANY(\(ids)) AND state = 'succeeded' AND attempts = 1") == 5)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = ANY(\(ids)) AND outcome = 'succeeded'") == 5)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = ANY(\(ids))") == 5)
        // One transaction: every row carries the same transaction timestamp.
        #expect(try await fixture.count("SELECT count(DISTINCT finished_at) FROM jobs WHERE id = ANY(\(ids))") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(cancelled)") == 0)
        await fixture.tearDown()
    }

    @Test func oneFailingCompletionLeavesNothingOfTheBatch() async throws {
        let fixture = try await RuntimeFixture.make()
        let plain = try await fixture.enqueue((0..<3).map { CanaryHandler.Payload(echo: "plain \($0)") })
        let failing = try await fixture.enqueue(CanaryHandler.Payload(echo: "fails", commitFailures: 1))
        let batch = try await requests(fixture, plain + [failing])

        #expect(try await runBatch(fixture, batch) == nil)
        let all = plain + [failing]
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = ANY(\(all)) AND state = 'queued' AND attempts = 0") == 4)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = ANY(\(all))") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = ANY(\(all))") == 0)
        await fixture.tearDown()
    }

    @Test func aJobWantingTheRegularPathOrTwiceInTheBatchSendsEachOnItsOwn() async throws {
        let fixture = try await RuntimeFixture.make()
        let plain = try await fixture.enqueue(CanaryHandler.Payload(echo: "plain"))
        let sleeper = try await fixture.enqueue(CanaryHandler.Payload(sleepMilliseconds: 1))

        #expect(try await runBatch(fixture, try await requests(fixture, [plain, sleeper])) == nil)
        #expect(try await runBatch(fixture, try await requests(fixture, [plain, plain])) == nil)
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id IN (\(plain), \(sleeper)) AND state = 'queued'") == 2)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts") == 0)
        await fixture.tearDown()
    }

    /// Through a real worker: jobs queued together are committed in shared transactions, and
    /// a job whose commit fails inside a batch neither fails nor delays its batch-mates twice:
    /// every plain job succeeds on its first attempt, the failing one on its second.
    @Test func aWorkerBatchesQueuedJobsAndIsolatesAFailingOne() async throws {
        let fixture = try await RuntimeFixture.make()
        var payloads = (0..<60).map { CanaryHandler.Payload(echo: "plain \($0)") }
        payloads.insert(CanaryHandler.Payload(echo: "fails once", commitFailures: 1), at: 30)
        let ids = try await fixture.enqueue(payloads)
        let failing = ids[30]
        let worker = try fixture.spawnWorker(prefetch: 16)
        defer { worker.signal(SIGKILL) }

        try await waitUntil("every job to succeed") {
            try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'succeeded'") == ids.count
        }
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id <> \(failing) AND attempts = 1") == ids.count - 1)
        #expect(try await fixture.job(failing).attempts == 2)
        #expect(try await fixture.count("""
            SELECT count(*) FROM job_attempts WHERE job_id = \(failing) AND outcome = 'failed' AND failure_stage = 'commit_results'
            """) == 1)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE outcome = 'succeeded'") == ids.count)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results") == ids.count)
        // Shared transactions: fewer distinct commit timestamps than jobs.
        #expect(try await fixture.count("SELECT count(DISTINCT finished_at) FROM jobs") < ids.count)
        await fixture.tearDown()
    }
}
