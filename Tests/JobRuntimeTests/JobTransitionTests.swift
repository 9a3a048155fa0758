import Testing
@testable import JobRuntime

/// The writer's guards come from `JobState`'s table, not from strings of their own.
@Suite struct JobTransitionTests {
    @Test func sourcesAreTheTablesRows() {
        for target in JobState.allCases {
            let sources = JobTransition.sources(of: target)
            #expect(sources == JobState.allCases.filter { $0.canTransition(to: target) }, "→ \(target)")
        }
        #expect(JobTransition.sources(of: .running) == [.queued, .running, .retrying])
        #expect(JobTransition.sources(of: .succeeded) == [.running])
        #expect(JobTransition.sources(of: .dead) == [.queued, .running, .retrying])
        #expect(JobTransition.sources(of: .queued) == [.dead])
    }

    @Test func guardsListTheSourcesAsSQL() {
        #expect(JobTransition.guardSQL(to: .running).text == "state IN ('queued', 'running', 'retrying')")
        #expect(JobTransition.guardSQL(to: .cancelled).text == "state IN ('queued', 'running', 'retrying')")
        #expect(JobTransition.guardSQL(to: .cancelled, excluding: [.running]).text == "state IN ('queued', 'retrying')")
        #expect(JobTransition.guardSQL(to: .superseded, excluding: [.running]).text == "state IN ('queued', 'retrying')")
        #expect(JobTransition.guardSQL(to: .queued).text == "state IN ('dead')")
        #expect(JobTransition.guardSQL(to: .running).binds.isEmpty)
    }

    @Test func attemptOutcomesMatchTheCheckConstraint() {
        // migrations/0001_initial.sql: job_attempts.outcome CHECK (outcome IN (...)).
        #expect(AttemptOutcome.allCases.map(\.rawValue) == ["succeeded", "failed", "rate_limited", "superseded", "cancelled", "abandoned"])
    }

    @Test func aDecidingCommitIsDeclaredSucceededAndReturnsItsOutcome() throws {
        let stale = JobCompletion.deciding { _ in .superseded(reason: "stale") }
        #expect(stale.declared == .succeeded)
        let superseded = JobCompletion.superseded("older selection")
        #expect(superseded.declared == .superseded(reason: "older selection"))
        #expect(JobCompletion.succeeded().declared == .succeeded)
    }
}
