/// Limits and identity for an ``HTTPClient``. Defaults suit JSON APIs and
/// object storage; image-generation calls usually need a longer `totalTimeout`.
public struct HTTPClientConfiguration: Sendable, Equatable {
    /// Time allowed to resolve, connect and finish TLS. Default 10 s.
    public var connectTimeout: Duration
    /// Time allowed for the whole transfer, connect included. Default 60 s.
    public var totalTimeout: Duration
    /// Largest response body accepted; larger bodies abort the transfer with
    /// ``HTTPError/Code/responseTooLarge`` as soon as the limit is crossed. Default 64 MiB.
    public var maxResponseBytes: Int
    /// Sent as `User-Agent` unless a request sets its own. Default `itp-fleet/1`.
    public var userAgent: String
    /// Abort with ``HTTPError/Code/timeout`` when the transfer stays below this
    /// rate for the given time. `nil` (default) disables the check.
    public var lowSpeedLimit: LowSpeedLimit?

    /// A minimum transfer rate that must be kept up over a window.
    public struct LowSpeedLimit: Sendable, Equatable {
        public var bytesPerSecond: Int
        public var duration: Duration

        public init(bytesPerSecond: Int, duration: Duration) {
            self.bytesPerSecond = bytesPerSecond
            self.duration = duration
        }
    }

    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(60),
        maxResponseBytes: Int = 64 << 20,
        userAgent: String = "itp-fleet/1",
        lowSpeedLimit: LowSpeedLimit? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
        self.lowSpeedLimit = lowSpeedLimit
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 so that libcurl never reads 0 as "no limit".
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return Int.max }
        return max(1, Int(truncatingIfNeeded: millis.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
