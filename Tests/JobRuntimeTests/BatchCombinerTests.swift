@testable import JobRuntime
import Synchronization
import Testing

/// The combiner behind the one-transaction batches: every submission answered once, with
/// its own answer; batches within the limit; no more runs at once than runners; batches form
/// only from submissions that arrive while a run is under way.
@Suite struct BatchCombinerTests {
    /// What the runs saw: batch sizes and the most runs at once.
    final class Runs: Sendable {
        private let state = Mutex<(sizes: [Int], current: Int, most: Int)>(([], 0, 0))
        private let gate: Gate?

        init(gate: Gate? = nil) {
            self.gate = gate
        }

        func run(_ requests: [Int]) async -> [String] {
            state.withLock { state in
                state.sizes.append(requests.count)
                state.current += 1
                state.most = max(state.most, state.current)
            }
            if let gate { await gate.pass() } else { await Task.yield() }
            state.withLock { $0.current -= 1 }
            return requests.map { "answer \($0)" }
        }

        var sizes: [Int] { state.withLock { $0.sizes } }
        var mostAtOnce: Int { state.withLock { $0.most } }
    }

    /// Holds runs until opened, so that submissions pile up behind a run under way.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        func pass() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }

        func open() {
            state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }.forEach { $0.resume() }
        }

        var held: Int { state.withLock { $0.waiting.count } }
    }

    @Test func everySubmissionGetsItsOwnAnswerOnceWithinTheLimits() async throws {
        let runs = Runs()
        let combiner = BatchCombiner<Int, String>(limit: 5, runners: 2) { await runs.run($0) }
        let answers = await withTaskGroup(of: (Int, String).self) { group in
            for index in 0..<500 {
                group.addTask { (index, await combiner.submit(index)) }
            }
            return await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 500)
        #expect(answers.allSatisfy { $0.value == "answer \($0.key)" })
        #expect(runs.sizes.reduce(0, +) == 500, "each submission ran exactly once")
        #expect(runs.sizes.allSatisfy { (1...5).contains($0) })
        #expect(runs.mostAtOnce <= 2)
        #expect(combiner.runningCount == 0 && combiner.waitingCount == 0, "no runner's turn outlives the work")
    }

    /// Submissions keep arriving while batches run and runners hand over to each other, wave
    /// after wave: a runner's turn is never lost nor duplicated, so every wave completes and
    /// nothing is left running.
    @Test func handOversNeitherLoseNorDuplicateARunnersTurn() async {
        let runs = Runs()
        let combiner = BatchCombiner<Int, String>(limit: 3, runners: 2) { await runs.run($0) }
        for wave in 0..<50 {
            let answers = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    let request = wave * 100 + index
                    group.addTask { await combiner.submit(request) == "answer \(request)" }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(answers.count == 40 && answers.allSatisfy { $0 }, "wave \(wave)")
            #expect(combiner.runningCount == 0, "wave \(wave): a runner's turn leaked")
        }
        #expect(runs.sizes.reduce(0, +) == 2000)
        #expect(runs.mostAtOnce <= 2)
    }

    @Test func submissionsArrivingDuringARunShareTheNextBatch() async throws {
        let gate = Gate()
        let runs = Runs(gate: gate)
        let combiner = BatchCombiner<Int, String>(limit: 10, runners: 1) { await runs.run($0) }
        async let first = combiner.submit(0)
        try await eventually("the first run to start") { gate.held == 1 }
        let rest = Task {
            await withTaskGroup(of: String.self) { group in
                for index in 1...6 { group.addTask { await combiner.submit(index) } }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
        }
        try await eventually("six submissions to wait behind the held run") { combiner.waitingCount == 6 }
        gate.open()
        #expect(await first == "answer 0")
        #expect(await rest.value.sorted() == (1...6).map { "answer \($0)" })
        #expect(runs.sizes == [1, 6])
        #expect(combiner.runningCount == 0)
    }

    @Test func oneAtATimeSubmissionsRunAlone() async {
        let runs = Runs()
        let combiner = BatchCombiner<Int, String>(limit: 32, runners: 2) { await runs.run($0) }
        for index in 0..<20 {
            #expect(await combiner.submit(index) == "answer \(index)")
        }
        #expect(runs.sizes == Array(repeating: 1, count: 20))
    }

    private func eventually(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting for \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
