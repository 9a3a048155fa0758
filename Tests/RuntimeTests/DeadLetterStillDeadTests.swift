import FleetTesting
import Foundation
import JobRuntime
import Postgres
import Testing

/// `dead_letters.still_dead` ("still dead only" in the console and `itp-admin dlq`) and the
/// per-group counts `dead_letter_groups` are kept by the schema (migration 0013): they follow a job
/// through a real worker's death, an operator's replay and a second death, each in the transaction
/// that changes the job, never in a later one.
@Suite struct DeadLetterStillDeadTests {
    /// Rows that disagree with the state they describe, read in one snapshot: dead letters whose
    /// `still_dead` is not "no job, or the job is dead", and groups whose count is not the number
    /// of dead letters with their columns.
    static let disagreements: SQL = """
        WITH actual AS (
            SELECT queue, original_queue, job_kind, error_class, failure_stage, count(*) AS n FROM dead_letters GROUP BY 1, 2, 3, 4, 5
        ), kept AS (
            SELECT queue, original_queue, job_kind, error_class, failure_stage, count AS n FROM dead_letter_groups
        )
        SELECT (SELECT count(*) FROM dead_letters d LEFT JOIN jobs j ON j.id = d.job_id
                WHERE d.still_dead IS DISTINCT FROM (d.job_id IS NULL OR j.state = 'dead'))
             + (SELECT count(*) FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept) missing)
             + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual) extra)
        """

    @Test func aReplayedJobThatDiesAgainIsStillDeadOnEveryDeadLetterInTheTransactionsThatMoveIt() async throws {
        let fixture = try await RuntimeFixture.make()
        let worker = try fixture.spawnWorker()
        defer { worker.signal(SIGKILL) }
        let id = try await fixture.enqueue(.init(permanent: true))
        try await waitUntil("the job dead and its dead letter recorded") {
            #expect(try await fixture.count(Self.disagreements) == 0)
            return try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id)") == 1
        }
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id) AND still_dead") == 1)

        // The operator's replay, as JobReplay does it: the requeue and its message in one
        // transaction, which already sees the dead letter no longer still dead.
        let queue = fixture.queue
        let seenInside = try await fixture.database.withTransaction { connection in
            #expect(try JobTransition.requeueDead(id, on: connection))
            let payload = try JSONEncoder().encode(CanaryHandler.Payload(permanent: true))
            try OutboxMessage(
                exchange: Topology.jobsExchange, routingKey: queue.name,
                body: try JobEnvelope(jobID: id, kind: CanaryHandler.kind, payload: payload).encoded(),
                headers: ["x-itp-kind": CanaryHandler.kind, "x-itp-job-id": id.uuidString.lowercased()], jobID: id
            ).insert(on: connection)
            return try connection.query("SELECT count(*) FROM dead_letters WHERE job_id = \(id) AND still_dead")[0].decode(Int.self, at: 0)
        }
        #expect(seenInside == 0)
        #expect(try await fixture.count(Self.disagreements) == 0)

        // It fails permanently again: dead, with a second dead letter, and both still dead.
        try await waitUntil("the replayed job dead again with its second dead letter") {
            #expect(try await fixture.count(Self.disagreements) == 0)
            return try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id)") == 2
        }
        #expect(try await fixture.job(id).state == "dead")
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(id) AND still_dead") == 2)
        #expect(try await fixture.count("""
            SELECT COALESCE(sum(count), 0)::int FROM dead_letter_groups WHERE queue = \(queue.deadLetterQueue)
            """) == 2)

        // A purge leaves the groups agreeing too.
        try await fixture.database.withConnection { connection in
            _ = try connection.execute("DELETE FROM dead_letters WHERE job_id = \(id) AND id = (SELECT min(id) FROM dead_letters WHERE job_id = \(id))")
        }
        #expect(try await fixture.count(Self.disagreements) == 0)
        #expect(try await fixture.count("SELECT COALESCE(sum(count), 0)::int FROM dead_letter_groups WHERE queue = \(queue.deadLetterQueue)") == 1)
        await fixture.tearDown()
    }
}
