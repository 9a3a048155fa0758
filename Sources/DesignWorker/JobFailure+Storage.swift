import JobRuntime
import Storage

extension JobFailure {
    /// A storage failure for the job runtime: retriable (I/O, timeouts, 5xx) → transient;
    /// anything else (bad key, missing object, access denied) → permanent.
    static func storage(_ error: any Error, stage: String) -> JobFailure {
        switch error {
        case let failure as JobFailure:
            failure
        case let storage as StorageError:
            JobFailure(storage.isRetriable ? .transient : .permanent, "\(storage)", stage: stage)
        default:
            JobFailure(.transient, "storage failed: \(error)", stage: stage)
        }
    }
}
