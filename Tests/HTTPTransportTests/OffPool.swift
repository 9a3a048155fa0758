import Dispatch

/// Runs blocking test code on its own dispatch thread, so that tests of the
/// blocking API never park a thread of the Swift concurrency pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue(label: "itp.test.blocking").async {
            continuation.resume(with: Result { try body() })
        }
    }
}
