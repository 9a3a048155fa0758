import JobRuntime
import Mockups
import Storage

/// The classification of a mockup job's failures (DESIGN.md §3). The messages are the
/// errors' plain descriptions, safe for `jobs.last_error` and the asset's `error_message`.
extension JobFailure {
    /// A design or template the renderer refuses is a property of the input: permanent,
    /// so it is dead-lettered at once with the reason. Only resource exhaustion retries.
    static func mockup(_ error: MockupError, stage: String) -> JobFailure {
        JobFailure(error.isRetriable ? .transient : .permanent, error.description, stage: stage)
    }

    /// A missing object will not appear by retrying; an unavailable store might recover.
    static func storage(_ error: any Error, key: StorageKey, what: String, stage: String) -> JobFailure {
        guard let storage = error as? StorageError else {
            return JobFailure(.transient, "\(what) \(key): \(error)", stage: stage)
        }
        if storage.code == .notFound {
            return JobFailure(.permanent, "\(what) is missing from asset storage (key \(key))", stage: stage)
        }
        return JobFailure(storage.isRetriable ? .transient : .permanent, "\(what) \(key): \(storage.message)", stage: stage)
    }
}
