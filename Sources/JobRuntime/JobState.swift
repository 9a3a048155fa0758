/// The closed set of job states, identical to the `job_state` Postgres enum. Every legal
/// transition is listed in ``canTransition(to:)``, the one place that decides them;
/// ``JobTransition`` derives its SQL guards (`state IN (...)`) from it.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Enqueued through the outbox, not yet claimed.
    case queued
    /// Claimed by a worker; the attempt is counted.
    case running
    /// Failed with a retryable error; waiting in a delay queue.
    case retrying
    /// Results committed.
    case succeeded
    /// Dead-lettered: permanent error, attempts exhausted, malformed or poison.
    case dead
    /// Cancelled on purpose (product cancelled, operator).
    case cancelled
    /// Its selection_version is no longer the product's: its output is never activated.
    case superseded

    /// Terminal states are never left, except `dead` → `queued` by an operator's replay.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .dead, .cancelled, .superseded: true
        case .queued, .running, .retrying: false
        }
    }

    public func canTransition(to next: JobState) -> Bool {
        switch (self, next) {
        case (.queued, .running), (.retrying, .running):
            true
        // A redelivery after a crash claims a job that is still marked running.
        case (.running, .running):
            true
        case (.running, .succeeded), (.running, .retrying), (.running, .dead), (.running, .superseded):
            true
        // Malformed, poison or expired messages are dead-lettered before or between attempts.
        case (.queued, .dead), (.retrying, .dead):
            true
        case (.queued, .cancelled), (.running, .cancelled), (.retrying, .cancelled):
            true
        case (.queued, .superseded), (.retrying, .superseded):
            true
        // Replay of a dead letter, through the outbox.
        case (.dead, .queued):
            true
        default:
            false
        }
    }
}
