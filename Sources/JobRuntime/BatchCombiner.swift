import Synchronization

/// Combines concurrent submissions into batches, run by the submitters themselves rather
/// than by a background task (so cancellation and task-locals follow the callers).
///
/// A submitter that finds fewer than `runners` batches under way becomes a runner: it takes
/// up to `limit` waiting submissions, oldest first (its own among them), runs them as one
/// batch and answers each. It keeps taking batches until its own submission is answered;
/// then, if submissions are still waiting, it hands its turn to the oldest of them, which
/// runs the next batch. Nothing waits for a batch to fill: under light load a batch holds
/// one submission, and batches grow only while earlier ones are running. Every submission
/// is answered exactly once.
final class BatchCombiner<Request: Sendable, Response: Sendable>: Sendable {
    typealias Run = @Sendable ([Request]) async -> [Response]

    private let limit: Int
    private let runners: Int
    private let run: Run
    private let state = Mutex(State())

    private struct State {
        var waiting: [Entry] = []
        var running = 0
    }

    /// `run` must answer every request of a batch, in order.
    init(limit: Int, runners: Int, run: @escaping Run) {
        precondition(limit >= 1 && runners >= 1, "a batch holds at least one request and at least one runs")
        self.limit = limit
        self.runners = runners
        self.run = run
    }

    /// Submissions taken by no run yet.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    func submit(_ request: Request) async -> Response {
        let entry = Entry(request)
        var leads = state.withLock { state in
            state.waiting.append(entry)
            guard state.running < runners else { return false }
            state.running += 1
            return true
        }
        while true {
            if leads { await drive(until: entry) }
            await entry.wait()
            let (handedLead, answer) = entry.take()
            leads = handedLead
            if let answer, !leads { return answer }
        }
    }

    private enum Step {
        case run([Entry])
        case handOver(Entry)
        case stop
    }

    private func drive(until mine: Entry) async {
        while true {
            let step: Step = state.withLock { state in
                if mine.isAnswered {
                    // Done with our own: the turn passes to the oldest waiting, if any (the
                    // running count moves with it).
                    if let next = state.waiting.first { return .handOver(next) }
                    state.running -= 1
                    return .stop
                }
                // Ours is in another runner's batch when nothing is waiting: it answers us.
                guard !state.waiting.isEmpty else {
                    state.running -= 1
                    return .stop
                }
                let batch = Array(state.waiting.prefix(limit))
                state.waiting.removeFirst(batch.count)
                return .run(batch)
            }
            switch step {
            case .stop:
                return
            case .handOver(let next):
                next.giveLead()
                return
            case .run(let batch):
                let responses = await run(batch.map(\.request))
                precondition(responses.count == batch.count, "a batch run must answer every request")
                for (entry, response) in zip(batch, responses) { entry.answer(response) }
            }
        }
    }

    /// One submission: its answer and whether it was handed a runner's turn, and the
    /// submitter's continuation while it waits for either.
    private final class Entry: Sendable {
        let request: Request
        private let slot = Mutex(Slot())

        private struct Slot {
            var answer: Response?
            var lead = false
            var continuation: CheckedContinuation<Void, Never>?
        }

        init(_ request: Request) {
            self.request = request
        }

        var isAnswered: Bool { slot.withLock { $0.answer != nil } }

        func answer(_ response: Response) {
            slot.withLock { $0.answer = response; return $0.continuation.take() }?.resume()
        }

        func giveLead() {
            slot.withLock { $0.lead = true; return $0.continuation.take() }?.resume()
        }

        /// Returns once an answer or a turn is there.
        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = slot.withLock { slot in
                    if slot.answer != nil || slot.lead { return true }
                    slot.continuation = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }

        /// The turn (consumed) and the answer, read together.
        func take() -> (lead: Bool, answer: Response?) {
            slot.withLock { slot in
                defer { slot.lead = false }
                return (slot.lead, slot.answer)
            }
        }
    }
}
