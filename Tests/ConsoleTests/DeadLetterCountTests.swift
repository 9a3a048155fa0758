import FleetTesting
import Foundation
import JobRuntime
import Operations
import Postgres
import Testing

/// The number of dead letters that match a filter — what the list shows as "all N that match"
/// and what a bulk action over them acts on — is the same whether the per-group counts answer it
/// or the rows are counted, also for dead letters that recorded no kind, class or stage, for which
/// the filter asks their job.
@Suite struct DeadLetterCountTests {
    @Test func theGroupCountsAnswerWhatCountingTheRowsAnswers() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.deadJobs(3, errorClass: "permanent", stage: "provider_call", reason: "content policy", queue: "count.design")
            try await fixture.deadJobs(2, errorClass: "transient", stage: "storage_write", reason: "storage timed out", queue: "count.design")
            try await fixture.deadJobs(4, errorClass: "transient", stage: "storage_write", reason: "storage timed out", queue: "count.mockup")
            // Poison messages as the broker dead-letters them: no kind, class or stage on the dead
            // letter (the filters read the job's), one of them replayed since (not still dead).
            let poison = try await fixture.deadJobs(3, errorClass: "permanent", stage: "broker_delivery_limit", reason: "poison", queue: "count.mockup")
            let requeued = try await fixture.sql { connection in
                _ = try connection.execute("""
                    UPDATE dead_letters SET job_kind = NULL, error_class = NULL, failure_stage = NULL WHERE job_id = ANY(\(poison))
                    """)
                return try connection.transaction { try JobTransition.requeueDead(poison[0], on: $0) }
            }
            #expect(requeued)
            let selections: [DeadLetterSelection] = [
                DeadLetterSelection(),
                DeadLetterSelection(queue: "count.mockup"),
                DeadLetterSelection(queue: "count.mockup.dead"),
                DeadLetterSelection(kind: "canary"),
                DeadLetterSelection(errorClass: "permanent"),
                DeadLetterSelection(errorClass: "transient", stage: "storage_write"),
                DeadLetterSelection(queue: "count.mockup", stage: "broker_delivery_limit"),
                DeadLetterSelection(queue: "count.design", kind: "canary", errorClass: "permanent", stage: "provider_call"),
                DeadLetterSelection(stage: "nowhere"),
                DeadLetterSelection(errorClass: "permanent", unresolved: true),
                DeadLetterSelection(unresolved: true),
                DeadLetterSelection(text: "storage"),
            ]
            let counts = try await fixture.sql { connection in
                try selections.map { selection in
                    (try DeadLetterList.count(selection, on: connection),
                     try connection.query("SELECT count(*) FROM dead_letters d WHERE \(selection.conditions)")[0].decode(Int.self, at: 0))
                }
            }
            for (selection, (counted, rows)) in zip(selections, counts) {
                #expect(counted == rows, "\(selection.json)")
            }
            #expect(counts.map(\.0) == [12, 7, 7, 12, 6, 6, 3, 3, 0, 5, 11, 6])
        }
    }
}
