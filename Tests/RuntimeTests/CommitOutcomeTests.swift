import FleetTesting
import Foundation
@testable import JobRuntime
import Postgres
import Testing

/// A commit that finds its input stale under its locks says so: the job is superseded in the
/// commit's own transaction — no rollback, no retry parked in a delay queue (issue 14).
@Suite struct CommitOutcomeTests {
    private func claim(_ fixture: RuntimeFixture, _ id: UUID) async throws -> ClaimedJob? {
        try await fixture.database.withConnection { connection in
            let payload = try connection.query("SELECT payload::text AS payload FROM jobs WHERE id = \(id)")[0]
                .decode(String.self, column: "payload")
            let envelope = JobEnvelope(jobID: id, kind: CanaryHandler.kind, payload: Data(payload.utf8))
            guard case .claimed(let job) = try JobStore.claim(envelope, worker: "test/1", redelivered: false, on: connection) else {
                return nil
            }
            return job
        }
    }

    @Test func aCommitThatDecidesSupersededSupersedesTheJobInItsTransaction() async throws {
        let fixture = try await RuntimeFixture.make()
        let id = try await fixture.enqueue(CanaryHandler.Payload(echo: "stale under the lock"))
        let job = try #require(try await claim(fixture, id))
        let outboxBefore = try await fixture.count("SELECT count(*) FROM outbox")
        let completion = JobCompletion.deciding { _ in .superseded(reason: "the selection changed while rendering") }
        let state = try await fixture.database.withConnection { connection in
            try JobStore.complete(job, with: completion, on: connection)
        }
        #expect(state == .superseded)
        #expect(try await fixture.count("""
            SELECT count(*) FROM jobs WHERE id = \(id) AND state = 'superseded' AND attempts = 1
              AND failure_stage = 'superseded' AND last_error LIKE '%selection changed%'
            """) == 1)
        #expect(try await fixture.count("""
            SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'superseded' AND finished_at IS NOT NULL
            """) == 1)
        #expect(try await fixture.count("SELECT count(*) FROM outbox") == outboxBefore, "no retry parked")
        await fixture.tearDown()
    }

    @Test func aCommitThatDecidesSucceededSucceeds() async throws {
        let fixture = try await RuntimeFixture.make()
        let id = try await fixture.enqueue(CanaryHandler.Payload(echo: "current"))
        let job = try #require(try await claim(fixture, id))
        let state = try await fixture.database.withConnection { connection in
            try JobStore.complete(job, with: .deciding { _ in .succeeded }, on: connection)
        }
        #expect(state == .succeeded)
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(id) AND state = 'succeeded'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM job_attempts WHERE job_id = \(id) AND outcome = 'succeeded'") == 1)
        // A second completion of the same attempt finds its claim gone and writes nothing.
        let again = try await fixture.database.withConnection { connection in
            try JobStore.complete(job, with: .deciding { _ in .superseded(reason: "late") }, on: connection)
        }
        #expect(again == nil)
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(id) AND state = 'succeeded'") == 1)
        await fixture.tearDown()
    }
}
