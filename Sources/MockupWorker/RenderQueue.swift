import Dispatch

/// Where mockups are rendered: GCD threads of a concurrent queue, never the Swift
/// cooperative pool, which a 0.5–1 s CPU-bound render would otherwise starve (the AMQP
/// hand-offs, database replies and health checks all run there). Concurrency is bounded
/// by the worker's prefetch, which limits the jobs in flight.
final class RenderQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
