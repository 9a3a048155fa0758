/// The operator's bounds and patience for one worker kind (`itp-admin scale plan` flags).
public struct ScalePolicy: Sendable, Equatable {
    /// The backlog should drain within this many seconds.
    public var targetDrainSeconds: Double
    public var minInstances: Int
    public var maxInstances: Int
    /// Jobs one instance runs at once (its prefetch).
    public var concurrency: Int
    /// Scale-in needs this many consecutive readings (this one included) that all ask for
    /// fewer instances than are running: one reading is never enough.
    public var scaleInReadings: Int
    /// Only readings this recent count toward ``scaleInReadings``.
    public var readingWindowSeconds: Double
    /// No scale-in for this long after the broker was seen restarted: queue depths read 0
    /// for a while after a restart (FIELD-NOTES.md), and workers are still reconnecting.
    public var restartHoldSeconds: Double

    public init(
        targetDrainSeconds: Double = 300, minInstances: Int = 1, maxInstances: Int = 8, concurrency: Int = 1,
        scaleInReadings: Int = 3, readingWindowSeconds: Double = 900, restartHoldSeconds: Double = 300
    ) {
        self.targetDrainSeconds = targetDrainSeconds
        self.minInstances = minInstances
        self.maxInstances = maxInstances
        self.concurrency = concurrency
        self.scaleInReadings = scaleInReadings
        self.readingWindowSeconds = readingWindowSeconds
        self.restartHoldSeconds = restartHoldSeconds
    }
}
