import Dispatch
import Imaging
import Metrics
import Vocabulary

/// Runs CPU-heavy image work (decode, background removal, resampling, encode) on a
/// dispatch queue of its own, never on the Swift cooperative pool: a 3600×4800 resample
/// takes seconds, and a pool thread parked that long starves the consumer, the relay and
/// the health checks of the same process. Concurrency is bounded by the worker's
/// prefetch (jobs in flight), each job rendering one candidate at a time.
final class ImageWorkQueue: Sendable {
    private let queue = DispatchQueue(label: "itp.design.imaging", qos: .userInitiated, attributes: .concurrent)

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let (value, cpuSeconds) = try ImageWorkClock.measure(body)
                    FloatingPointCounter(label: MetricName.imageWorkCPU, dimensions: [("work", "design_variants")]).increment(by: cpuSeconds)
                    return value
                })
            }
        }
    }
}
