import Foundation

/// Runs blocking test I/O (a socket client, a datagram wait) on a thread of its own.
///
/// Blocking on the cooperative pool would starve it: with two cores, two tests blocked in
/// `recv` leave no thread to run the very service they are waiting for.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
