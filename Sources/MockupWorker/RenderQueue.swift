import Dispatch
import Imaging
import Metrics
import Vocabulary

/// Where mockups are rendered: GCD threads of a concurrent queue, never the Swift
/// cooperative pool, which a 0.5–1 s CPU-bound render would otherwise starve (the AMQP
/// hand-offs, database replies and health checks all run there). Concurrency is bounded
/// by the worker's prefetch, which limits the jobs in flight.
final class RenderQueue: Sendable {
    private let queue: DispatchQueue
    /// The `work` label of `itp_image_work_cpu_seconds_total` (bounded: one per mockup kind).
    private let work: String

    init(label: String, work: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
        self.work = work
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [work] in
                continuation.resume(with: Result {
                    let (value, cpuSeconds) = try ImageWorkClock.measure(body)
                    FloatingPointCounter(label: MetricName.imageWorkCPU, dimensions: [("work", work)]).increment(by: cpuSeconds)
                    return value
                })
            }
        }
    }
}
