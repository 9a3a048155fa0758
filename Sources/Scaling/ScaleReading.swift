public import Foundation

/// What one look at a work queue saw, and how many instances it asked for. Readings are
/// persisted (`scale_readings`), so that a later run can tell a lasting lull from a blip.
public struct ScaleReading: Sendable, Equatable, Codable {
    public var takenAt: Date
    /// Messages ready in the work queue (broker).
    public var ready: Int
    /// Jobs running now (Postgres `running` rows: unacked deliveries, without the
    /// management API).
    public var inFlight: Int
    /// Mean seconds per job, measured from recent successful attempts (or the default).
    public var jobSeconds: Double
    /// Instances this reading alone asks for, bounded by min/max.
    public var needed: Int

    public init(takenAt: Date, ready: Int, inFlight: Int, jobSeconds: Double, needed: Int) {
        self.takenAt = takenAt
        self.ready = ready
        self.inFlight = inFlight
        self.jobSeconds = jobSeconds
        self.needed = needed
    }
}
