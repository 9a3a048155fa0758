#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures the CPU time the calling thread spends in a piece of image work (not wall
/// time: a loaded machine makes work slower, not costlier). The workers report it as
/// `itp_image_work_cpu_seconds_total`, which the fleet benchmark sets against the CPU of
/// the whole fleet to get the image-work vs orchestration split.
public enum ImageWorkClock {
    /// Runs `body` and returns its result with the thread CPU seconds it took.
    public static func measure<T>(_ body: () throws -> T) rethrows -> (value: T, cpuSeconds: Double) {
        let start = threadCPUSeconds()
        let value = try body()
        return (value, max(threadCPUSeconds() - start, 0))
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
