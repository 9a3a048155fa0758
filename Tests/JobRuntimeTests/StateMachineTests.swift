import Testing
@testable import JobRuntime

@Suite struct StateMachineTests {
    @Test func jobTerminalStatesAreLeftOnlyByReplayOfADeadJob() {
        for from in JobState.allCases where from.isTerminal {
            for to in JobState.allCases {
                #expect(from.canTransition(to: to) == (from == .dead && to == .queued), "\(from) → \(to)")
            }
        }
    }

    @Test func jobHappyPathAndRetryPathAreLegal() {
        let path: [JobState] = [.queued, .running, .retrying, .running, .succeeded]
        for (from, to) in zip(path, path.dropFirst()) {
            #expect(from.canTransition(to: to), "\(from) → \(to)")
        }
        #expect(!JobState.queued.canTransition(to: .succeeded))
        #expect(!JobState.retrying.canTransition(to: .succeeded))
    }

    @Test func enumsMatchThePostgresVocabulary() {
        #expect(JobState.allCases.map(\.rawValue) == ["queued", "running", "retrying", "succeeded", "dead", "cancelled", "superseded"])
        #expect(ErrorClass.allCases.map(\.rawValue) == ["rate_limited", "transient", "permanent"])
    }
}
