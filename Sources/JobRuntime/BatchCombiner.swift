import Synchronization

/// Combines concurrent submissions into batches, run by the submitters themselves rather
/// than by a background task (so cancellation and task-locals follow the callers).
///
/// A submitter that finds fewer than `runners` batches under way becomes a runner: it takes
/// up to `limit` waiting submissions, oldest first, runs them as one batch and answers each,
/// and goes on with the next batch until its own submission is answered. Then, if
/// submissions are still waiting, it takes the next batch off the queue and hands it to the
/// first submitter in it, who runs it in turn (and so on). Nothing waits for a batch to
/// fill: under light load a batch holds one submission, and batches grow only while earlier
/// ones are running. Every submission is in exactly one place — waiting, or in the batch of
/// exactly one runner — and is answered exactly once.
final class BatchCombiner<Request: Sendable, Response: Sendable>: Sendable {
    typealias Run = @Sendable ([Request]) async -> [Response]

    private let limit: Int
    private let runners: Int
    private let run: Run
    private let state = Mutex(State())

    private struct State {
        var waiting: [Entry] = []
        /// Batches held by a runner (being run, or handed over and about to be).
        var running = 0

        mutating func takeBatch(_ limit: Int) -> [Entry] {
            let batch = Array(waiting.prefix(limit))
            waiting.removeFirst(batch.count)
            return batch
        }
    }

    /// `run` must answer every request of a batch, in order.
    init(limit: Int, runners: Int, run: @escaping Run) {
        precondition(limit >= 1 && runners >= 1, "a batch holds at least one request and at least one runs")
        self.limit = limit
        self.runners = runners
        self.run = run
    }

    /// Submissions taken by no runner yet.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Batches held by runners (0 once every submission has been answered).
    var runningCount: Int { state.withLock { $0.running } }

    func submit(_ request: Request) async -> Response {
        let entry = Entry(request)
        var batch: [Entry]? = state.withLock { state in
            state.waiting.append(entry)
            guard state.running < runners else { return nil }
            state.running += 1
            return state.takeBatch(limit)
        }
        while true {
            if let held = batch {
                await runBatches(from: held, until: entry)
            }
            await entry.wait()
            let (handed, answer) = entry.take()
            batch = handed
            if handed == nil, let answer { return answer }
        }
    }

    private enum Next {
        case run([Entry])
        case handOver([Entry])
        case stop
    }

    /// Runs `batch`, then the following ones, until `mine` is answered; then hands the next
    /// batch, if any, to its first submitter.
    private func runBatches(from batch: [Entry], until mine: Entry) async {
        var batch = batch
        while true {
            let responses = await run(batch.map(\.request))
            precondition(responses.count == batch.count, "a batch run must answer every request")
            for (entry, response) in zip(batch, responses) { entry.answer(response) }
            let next: Next = state.withLock { state in
                guard !state.waiting.isEmpty else {
                    state.running -= 1
                    return .stop
                }
                let following = state.takeBatch(limit)
                return mine.isAnswered ? .handOver(following) : .run(following)
            }
            switch next {
            case .stop:
                return
            case .run(let following):
                batch = following
            case .handOver(let following):
                following[0].hand(following)
                return
            }
        }
    }

    /// One submission: its answer, or a batch handed to it to run, and the submitter's
    /// continuation while it waits for either.
    private final class Entry: Sendable {
        let request: Request
        private let slot = Mutex(Slot())

        private struct Slot {
            var answer: Response?
            var handed: [Entry]?
            var continuation: CheckedContinuation<Void, Never>?
        }

        init(_ request: Request) {
            self.request = request
        }

        var isAnswered: Bool { slot.withLock { $0.answer != nil } }

        func answer(_ response: Response) {
            slot.withLock { $0.answer = response; return $0.continuation.take() }?.resume()
        }

        func hand(_ batch: [Entry]) {
            slot.withLock { $0.handed = batch; return $0.continuation.take() }?.resume()
        }

        /// Returns once an answer or a handed batch is there.
        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = slot.withLock { slot in
                    if slot.answer != nil || slot.handed != nil { return true }
                    slot.continuation = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }

        /// The handed batch (taken) and the answer, read together.
        func take() -> (handed: [Entry]?, answer: Response?) {
            slot.withLock { slot in
                defer { slot.handed = nil }
                return (slot.handed, slot.answer)
            }
        }
    }
}
