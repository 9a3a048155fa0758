public import Foundation

/// The scaling decision for one worker kind, without I/O (tested on its own).
///
/// Instances needed = ⌈(ready + in flight) × seconds per job ÷ (target drain time ×
/// jobs per instance)⌉, bounded by min and max. Scaling out happens at once; scaling in
/// only when ``ScalePolicy/scaleInReadings`` consecutive recent readings all ask for fewer
/// instances than are running — never on a single reading — and never within
/// ``ScalePolicy/restartHoldSeconds`` of a broker restart. It then goes to the largest
/// number those readings asked for.
public struct ScalePlanner: Sendable {
    public enum Action: Sendable, Equatable {
        case scaleOut(to: Int)
        case scaleIn(to: Int)
        case hold
    }

    public struct Decision: Sendable, Equatable {
        /// What this reading alone asks for (bounded).
        public var needed: Int
        /// The instance count to run after the decision.
        public var desired: Int
        public var action: Action
        /// Why, for the operator.
        public var reason: String

        public init(needed: Int, desired: Int, action: Action, reason: String) {
            self.needed = needed
            self.desired = desired
            self.action = action
            self.reason = reason
        }
    }

    public var policy: ScalePolicy

    public init(policy: ScalePolicy) {
        self.policy = policy
    }

    /// Instances for a backlog of `ready + inFlight` jobs of `jobSeconds` each, bounded.
    public func needed(ready: Int, inFlight: Int, jobSeconds: Double) -> Int {
        bounded(unbounded(ready: ready, inFlight: inFlight, jobSeconds: jobSeconds))
    }

    private func unbounded(ready: Int, inFlight: Int, jobSeconds: Double) -> Int {
        let backlog = Double(max(0, ready) + max(0, inFlight))
        let capacityPerInstance = policy.targetDrainSeconds * Double(max(1, policy.concurrency))
        return backlog == 0 ? 0 : Int((backlog * max(jobSeconds, 0.001) / max(capacityPerInstance, 0.001)).rounded(.up))
    }

    /// - Parameters:
    ///   - reading: this run's reading (its `needed` is recomputed here).
    ///   - current: instances running now.
    ///   - history: earlier readings of the same kind, any order.
    ///   - brokerRestartedAt: when a broker restart was last observed, if ever.
    public func decide(reading: ScaleReading, current: Int, history: [ScaleReading], brokerRestartedAt: Date?) -> Decision {
        let needed = self.needed(ready: reading.ready, inFlight: reading.inFlight, jobSeconds: reading.jobSeconds)
        let now = reading.takenAt
        if current < policy.minInstances || needed > current {
            let target = max(needed, policy.minInstances)
            let raw = unbounded(ready: reading.ready, inFlight: reading.inFlight, jobSeconds: reading.jobSeconds)
            let why = raw > current && raw >= policy.minInstances
                ? "backlog \(reading.ready + reading.inFlight) × \(format(reading.jobSeconds)) s/job needs \(raw) to drain within "
                    + "\(format(policy.targetDrainSeconds)) s" + (raw > needed ? ", capped at the maximum of \(policy.maxInstances)" : "")
                : "the minimum is \(policy.minInstances)"
            return Decision(needed: needed, desired: target, action: .scaleOut(to: target), reason: why)
        }
        if current > policy.maxInstances {
            return Decision(needed: needed, desired: policy.maxInstances, action: .scaleIn(to: policy.maxInstances),
                            reason: "above the maximum of \(policy.maxInstances)")
        }
        if needed == current {
            return Decision(needed: needed, desired: current, action: .hold, reason: "running what the backlog needs")
        }
        // needed < current: scale in only on sustained evidence.
        if let restarted = brokerRestartedAt, now.timeIntervalSince(restarted) < policy.restartHoldSeconds {
            return Decision(needed: needed, desired: current, action: .hold,
                            reason: "the broker restarted \(format(now.timeIntervalSince(restarted))) s ago: no scale-in for \(format(policy.restartHoldSeconds)) s after a restart")
        }
        let recent = history
            .filter { $0.takenAt < now && now.timeIntervalSince($0.takenAt) <= policy.readingWindowSeconds }
            .sorted { $0.takenAt > $1.takenAt }
        var agreeing = [needed]
        for earlier in recent {
            guard agreeing.count < policy.scaleInReadings else { break }
            let earlierNeeded = bounded(earlier.needed)
            guard earlierNeeded < current else { break }
            agreeing.append(earlierNeeded)
        }
        guard agreeing.count >= policy.scaleInReadings else {
            return Decision(needed: needed, desired: current, action: .hold,
                            reason: "\(agreeing.count) of \(policy.scaleInReadings) consecutive readings ask for fewer instances: waiting before scaling in")
        }
        let target = agreeing.max() ?? current
        return Decision(needed: needed, desired: target, action: .scaleIn(to: target),
                        reason: "\(agreeing.count) consecutive readings ask for at most \(target)")
    }

    private func bounded(_ value: Int) -> Int {
        min(max(value, policy.minInstances), max(policy.maxInstances, policy.minInstances))
    }

    private func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
