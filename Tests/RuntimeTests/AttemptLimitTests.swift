import FleetTesting
import Foundation
import JobRuntime
import Testing

/// Issue 13: `jobs.max_attempts` says what the worker really allows. The enqueuer wrote 5
/// (the default); the worker runs with 3: its claim writes 3, and the job dies after 3.
@Suite struct AttemptLimitTests {
    @Test func theClaimWritesTheWorkersAttemptLimitAndTheRetryDecisionAgrees() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker(maxAttempts: 3)
        defer { worker.signal(SIGKILL) }
        let dying = try await fixture.enqueue(.init(transientFailures: 99), maxAttempts: 5)
        // A sleep keeps it on the regular (claim, then commit) path, not the one-transaction one.
        let succeeding = try await fixture.enqueue(.init(echo: "once", sleepMilliseconds: 1), maxAttempts: 5)
        // A plain canary is claimed, applied and finished in one transaction: it writes it too.
        let inline = try await fixture.enqueue(.init(echo: "inline"), maxAttempts: 5)
        try await fixture.waitForState(dying, "dead")
        try await fixture.waitForState(succeeding, "succeeded")
        try await fixture.waitForState(inline, "succeeded")
        #expect(try await fixture.count("SELECT max_attempts FROM jobs WHERE id = \(inline)") == 3)
        #expect(try await fixture.job(dying).attempts == 3)
        #expect(try await fixture.count("SELECT max_attempts FROM jobs WHERE id = \(dying)") == 3)
        #expect(try await fixture.count("SELECT max_attempts FROM jobs WHERE id = \(succeeding)") == 3)
        try await waitUntil("the dead letter to be recorded") {
            try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(dying) AND reason LIKE '%exhausted 3 attempts%'") == 1
        }
        await fixture.tearDown()
    }

    /// An attempt a crash interrupted recorded no error: it does not use up the limit of
    /// transient errors (the soak of issue 8 lost a legitimate design job that way, after three
    /// crashes and two HTTP 500s). The limit of 2 still holds: two failed attempts, then dead.
    @Test func attemptsAbandonedByACrashDoNotCountAgainstTheTransientLimit() async throws {
        let fixture = try await RuntimeFixture.make()
        let first = try fixture.spawnWorker(maxAttempts: 2)
        let id = try await fixture.enqueue(.init(sleepMilliseconds: 2000, transientFailures: 99), maxAttempts: 2)
        try await fixture.waitForState(id, "running")
        first.signal(SIGKILL)
        _ = try await first.waitForExit()

        let second = try fixture.spawnWorker(maxAttempts: 2)
        defer { second.signal(SIGKILL) }
        try await fixture.waitForState(id, "dead")
        #expect(try await fixture.job(id).attempts == 3)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'abandoned'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'failed'") == 2)
        await fixture.tearDown()
    }
}
