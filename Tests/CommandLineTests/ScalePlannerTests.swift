import Foundation
import Scaling
import Testing

/// The scaling decision without I/O: known backlogs, bounds, and the two scale-in guards.
@Suite struct ScalePlannerTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    func reading(_ ready: Int, inFlight: Int = 0, seconds: Double = 10, at offset: Double = 0, needed: Int = 0) -> ScaleReading {
        ScaleReading(takenAt: start.addingTimeInterval(offset), ready: ready, inFlight: inFlight, jobSeconds: seconds, needed: needed)
    }

    @Test func aKnownBacklogNeedsTheInstancesThatDrainItInTime() {
        // 22 jobs × 12 s = 264 s of work; one instance does 2 × 60 s of work per minute → 3.
        let planner = ScalePlanner(policy: ScalePolicy(targetDrainSeconds: 60, minInstances: 1, maxInstances: 10, concurrency: 2))
        #expect(planner.needed(ready: 20, inFlight: 2, jobSeconds: 12) == 3)
        let decision = planner.decide(reading: reading(20, inFlight: 2, seconds: 12), current: 1, history: [], brokerRestartedAt: nil)
        #expect(decision.action == .scaleOut(to: 3))
        #expect(decision.desired == 3)
        // Exactly enough capacity is not rounded up.
        #expect(planner.needed(ready: 10, inFlight: 0, jobSeconds: 12) == 1)
        #expect(planner.needed(ready: 11, inFlight: 0, jobSeconds: 12) == 2)
    }

    @Test func minAndMaxBoundThePlan() {
        let planner = ScalePlanner(policy: ScalePolicy(targetDrainSeconds: 60, minInstances: 2, maxInstances: 5))
        #expect(planner.needed(ready: 0, inFlight: 0, jobSeconds: 10) == 2)
        #expect(planner.needed(ready: 10_000, inFlight: 0, jobSeconds: 10) == 5)
        let capped = planner.decide(reading: reading(10_000), current: 3, history: [], brokerRestartedAt: nil)
        #expect(capped.action == .scaleOut(to: 5))
        #expect(capped.reason.contains("maximum of 5"))
        let belowMinimum = planner.decide(reading: reading(0), current: 0, history: [], brokerRestartedAt: nil)
        #expect(belowMinimum.action == .scaleOut(to: 2))
        #expect(belowMinimum.reason.contains("minimum is 2"))
        let aboveMaximum = planner.decide(reading: reading(10_000), current: 9, history: [], brokerRestartedAt: nil)
        #expect(aboveMaximum.action == .scaleIn(to: 5))
    }

    @Test func neverScalesInOnASingleReading() {
        let planner = ScalePlanner(policy: ScalePolicy(targetDrainSeconds: 60, minInstances: 1, maxInstances: 8, scaleInReadings: 3))
        let alone = planner.decide(reading: reading(0, at: 120), current: 4, history: [], brokerRestartedAt: nil)
        #expect(alone.action == .hold)
        #expect(alone.desired == 4)
        // Two quiet readings are still not enough.
        let two = planner.decide(reading: reading(0, at: 120), current: 4, history: [reading(0, at: 60, needed: 1)], brokerRestartedAt: nil)
        #expect(two.action == .hold)
        // Three consecutive readings that all ask for fewer: scale in to the largest of them.
        let history = [reading(0, at: 0, needed: 2), reading(0, at: 60, needed: 1)]
        let three = planner.decide(reading: reading(0, at: 120), current: 4, history: history, brokerRestartedAt: nil)
        #expect(three.action == .scaleIn(to: 2))
    }

    @Test func aBusyReadingInBetweenResetsTheCount() {
        let planner = ScalePlanner(policy: ScalePolicy(targetDrainSeconds: 60, minInstances: 1, maxInstances: 8, scaleInReadings: 3))
        let history = [reading(0, at: 0, needed: 1), reading(100, at: 60, needed: 4), reading(0, at: 90, needed: 1)]
        #expect(planner.decide(reading: reading(0, at: 120), current: 4, history: history, brokerRestartedAt: nil).action == .hold)
    }

    @Test func readingsOutsideTheWindowDoNotCount() {
        let planner = ScalePlanner(policy: ScalePolicy(
            targetDrainSeconds: 60, minInstances: 1, maxInstances: 8, scaleInReadings: 3, readingWindowSeconds: 300))
        let stale = [reading(0, at: -1000, needed: 1), reading(0, at: -900, needed: 1)]
        #expect(planner.decide(reading: reading(0), current: 3, history: stale, brokerRestartedAt: nil).action == .hold)
    }

    @Test func noScaleInRightAfterABrokerRestart() {
        let planner = ScalePlanner(policy: ScalePolicy(
            targetDrainSeconds: 60, minInstances: 1, maxInstances: 8, scaleInReadings: 2, restartHoldSeconds: 300))
        let history = [reading(0, at: 0, needed: 1), reading(0, at: 60, needed: 1)]
        let now = reading(0, at: 120)
        let justRestarted = planner.decide(reading: now, current: 4, history: history, brokerRestartedAt: start.addingTimeInterval(100))
        #expect(justRestarted.action == .hold)
        #expect(justRestarted.reason.contains("restarted"))
        // Scaling out is never held back.
        let busy = planner.decide(reading: reading(1000, at: 120), current: 4, history: history, brokerRestartedAt: start.addingTimeInterval(100))
        #expect(busy.action == .scaleOut(to: 8))
        // Once the hold has passed, the readings decide again.
        let later = planner.decide(reading: reading(0, at: 500), current: 4,
                                   history: [reading(0, at: 440, needed: 1)], brokerRestartedAt: start.addingTimeInterval(100))
        #expect(later.action == .scaleIn(to: 1))
    }
}
