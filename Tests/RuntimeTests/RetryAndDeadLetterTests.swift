import AMQP
import FleetTesting
import Foundation
import JobRuntime
import Postgres
import Testing

/// Error classes end where DESIGN.md §3 says, with attempts and every error recorded.
@Suite struct RetryAndDeadLetterTests {
    @Test func canaryJobsRunOnceEachAndTheOutboxDrains() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        let ids = try await fixture.enqueue((0..<50).map { CanaryHandler.Payload(echo: "job \($0)") })
        try await waitUntil("50 canary results") {
            try await fixture.count("SELECT count(*) FROM canary_results") == 50
        }
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'succeeded' AND attempts = 1") == ids.count)
        try await waitUntil("the outbox to drain") {
            try await fixture.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        }
        await fixture.tearDown()
    }

    @Test func transientTwiceThenSuccessTakesThreeAttempts() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        let id = try await fixture.enqueue(.init(transientFailures: 2))
        try await fixture.waitForState(id, "succeeded")
        let job = try await fixture.job(id)
        #expect(job.attempts == 3)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'failed' AND error_class = 'transient'") == 2)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'succeeded'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = \(id) AND attempt = 3") == 1)
        await fixture.tearDown()
    }

    /// A plain canary takes the one-transaction path; when its commit fails, nothing of that
    /// attempt may stay (its result row rolls back) and the failure is recorded as an attempt.
    @Test func oneTransactionPathRollsBackAFailedCommitAndRecordsTheAttempt() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        let id = try await fixture.enqueue(.init(echo: "inline", commitFailures: 2))
        try await fixture.waitForState(id, "succeeded")
        #expect(try await fixture.job(id).attempts == 3)
        #expect(try await fixture.count("""
            SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'failed' AND error_class = 'transient'
              AND failure_stage = 'commit_results' AND error_message LIKE 'canary commit failure on attempt%'
            """) == 2)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'succeeded'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND finished_at IS NULL") == 0)
        // Only the third attempt's result row exists: the first two rolled back with their commit.
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = \(id)") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM canary_results WHERE job_id = \(id) AND attempt = 3") == 1)
        await fixture.tearDown()
    }

    @Test func alwaysTransientIsDeadAfterTheLimitWithEveryErrorRecorded() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker(maxAttempts: 3)
        defer { worker.signal(SIGKILL) }
        let id = try await fixture.enqueue(.init(transientFailures: 99), maxAttempts: 3)
        try await fixture.waitForState(id, "dead")
        let job = try await fixture.job(id)
        #expect(job.attempts == 3)
        #expect(job.errorClass == "transient")
        #expect(job.failureStage == "canary")
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'failed' AND error_message LIKE 'canary transient failure%'") == 3)
        try await waitUntil("the dead letter to be recorded") {
            try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id) AND reason LIKE '%exhausted 3 attempts%'") == 1
        }
        #expect(try await fixture.count("SELECT count(*) FROM canary_results") == 0)
        await fixture.tearDown()
    }

    @Test func permanentIsDeadAfterOneAttempt() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        let id = try await fixture.enqueue(.init(permanent: true))
        try await fixture.waitForState(id, "dead")
        let job = try await fixture.job(id)
        #expect(job.attempts == 1)
        #expect(job.errorClass == "permanent")
        try await waitUntil("the dead letter to be recorded") {
            try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id) AND error_class = 'permanent' AND queue = \(fixture.queue.deadLetterQueue)") == 1
        }
        await fixture.tearDown()
    }

    @Test func rateLimitedWaitsWithoutBurningAttempts() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker(maxAttempts: 1)
        defer { worker.signal(SIGKILL) }
        // With one attempt allowed, any burned attempt would kill the job.
        let id = try await fixture.enqueue(.init(rateLimitedTimes: 2, retryAfterMilliseconds: 200), maxAttempts: 1)
        try await fixture.waitForState(id, "succeeded")
        let job = try await fixture.job(id)
        #expect(job.attempts == 1)
        #expect(job.rateLimitedWaits == 2)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'rate_limited' AND error_class = 'rate_limited'") == 2)
        await fixture.tearDown()
    }

    @Test func malformedMessagesAreDeadLetteredWithTheReasonAndTheWorkerGoesOn() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        let bodies: [(String, String)] = [
            ("{not json", "body is not valid JSON"),
            (#"{"schema_version":1,"job_id":"\#(UUID())","kind":"no.such.kind","payload":{}}"#, "unknown kind 'no.such.kind'"),
            (#"{"schema_version":9,"job_id":"\#(UUID())","kind":"canary","payload":{}}"#, "unsupported schema_version 9"),
        ]
        for (body, _) in bodies {
            try await fixture.broker.publish(
                exchange: Topology.jobsExchange, routingKey: fixture.queue.name, body: Array(body.utf8),
                properties: AMQPProperties(messageID: UUID().uuidString))
        }
        try await waitUntil("three malformed dead letters") {
            try await fixture.count("SELECT count(*) FROM dead_letters WHERE queue = \(fixture.queue.deadLetterQueue)") == 3
        }
        for (_, reason) in bodies {
            #expect(try await fixture.count("SELECT count(*) FROM dead_letters WHERE position(\(reason) in reason) > 0") == 1, "\(reason)")
        }
        let good = try await fixture.enqueue(.init(echo: "after the garbage"))
        try await fixture.waitForState(good, "succeeded")
        #expect(worker.isRunning)
        await fixture.tearDown()
    }
}

/// A worker that dies between dead-lettering a malformed message and acking it dead-letters
/// the redelivery again (a second copy, with a message id of its own): one dead letter.
@Suite struct DeadLetterCrashTests {
    @Test func aMalformedMessageDeadLetteredAgainAfterACrashIsRecordedOnce() async throws {
        let fixture = try await RuntimeFixture.make()
        let crashing = try fixture.spawnWorker(environment: ["ITP_FAULT_KILL_AFTER_COMMIT_PERCENT": "100"])
        defer { crashing.signal(SIGKILL) }
        let messageID = UUID().uuidString.lowercased()
        try await fixture.broker.publish(
            exchange: Topology.jobsExchange, routingKey: fixture.queue.name, body: Array("{not json".utf8),
            properties: AMQPProperties(messageID: messageID))
        _ = try await crashing.waitForExit()
        #expect(crashing.log.contains("fault-injection: SIGKILL between commit and ack of the dead-lettered message \(messageID)"))
        let copies: SQL = "SELECT count(*) FROM outbox WHERE headers->>'x-itp-original-message-id' = \(messageID)"
        #expect(try await fixture.count(copies) == 1)

        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        try await waitUntil("the redelivery to be dead-lettered again and both copies published") {
            try await fixture.count("\(copies) AND published_at IS NOT NULL") == 2
        }
        try await waitUntil("the recorder to take the second copy as already recorded") {
            worker.log.contains("dead letter already recorded")
        }
        #expect(try await fixture.count("""
            SELECT count(*) FROM dead_letters
            WHERE headers->>'x-itp-original-message-id' = \(messageID) AND reason = 'body is not valid JSON'
            """) == 1)
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters") == 1)
        await fixture.tearDown()
    }
}
