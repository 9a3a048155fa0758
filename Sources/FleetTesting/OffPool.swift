import Foundation

/// Runs blocking test work (a socket client, a datagram wait, a libpq call) on a thread of
/// its own.
///
/// Blocking on the cooperative pool would starve it: with two cores, two tests blocked in
/// `recv` leave no thread to run the very service they are waiting for.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
