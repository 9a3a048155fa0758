import FleetTesting
import Logging
@testable import ProcessRuntime
import Testing

@Suite struct WatchdogServiceTests {
    @Test func pingsOnlyWhileTheLivenessChecksPass() async throws {
        let socket = try NotifySocket()
        let alive = Flag(true)
        let looks = CallCounter()
        let checks = HealthChecks()
        checks.addLiveness("consume-loop") {
            looks.increment()
            return alive.isOn
        }
        let watchdog = WatchdogService(
            notifier: SystemdNotifier(environment: socket.environment(watchdogUSec: 100_000)), healthChecks: checks,
            interval: .milliseconds(50), logger: .quiet)
        let running = Task { try await watchdog.run() }
        defer { running.cancel() }

        // Alive: status, then pings.
        let first = try await socket.receive { $0 == "WATCHDOG=1" }
        #expect(first == ["WATCHDOG=1"])
        #expect(try await socket.receive { $0.hasPrefix("STATUS=") } == ["STATUS=running"])
        _ = try await socket.receive { $0 == "WATCHDOG=1" }

        // Stalled: the tick that sees it says so (datagrams keep their order, so any ping
        // sent before the flip is received before this status)...
        alive.set(false)
        let untilStalled = try await socket.receive { $0.hasPrefix("STATUS=stalled") }
        #expect(untilStalled.last == "STATUS=stalled: consume-loop (watchdog withheld)")
        // ...and the next ticks send nothing: wait until the watchdog has looked 5 more times.
        let seen = looks.count
        try await waitUntil("five more watchdog ticks", poll: .milliseconds(10)) { looks.count >= seen + 5 }
        #expect(!socket.drain().contains("WATCHDOG=1"))

        // Recovered: pings resume.
        alive.set(true)
        let recovered = try await socket.receive { $0 == "STATUS=running" }
        #expect(recovered.contains("WATCHDOG=1"))
        _ = try await socket.receive { $0 == "WATCHDOG=1" }

        running.cancel()
        try await running.value
    }

    @Test func intervalDefaultsToHalfTheWatchdogTimeout() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "20000000"])
        #expect(WatchdogService(notifier: notifier, healthChecks: HealthChecks(), logger: .quiet).interval == .seconds(10))
        let explicit = WatchdogService(notifier: notifier, healthChecks: HealthChecks(), interval: .seconds(1), logger: .quiet)
        #expect(explicit.interval == .seconds(1))
    }

    @Test func readinessNeverWithholdsThePing() {
        var state = WatchdogState()
        let waiting = state.tick(failingLiveness: [], failingReadiness: ["broker", "database"])
        #expect(waiting == .init(sendWatchdog: true, status: "not ready: waiting for broker, database", transition: nil))
        let same = state.tick(failingLiveness: [], failingReadiness: ["broker", "database"])
        #expect(same == .init(sendWatchdog: true, status: nil, transition: nil))
        let stalled = state.tick(failingLiveness: ["consume-loop"], failingReadiness: [])
        #expect(stalled.sendWatchdog == false)
        #expect(stalled.transition == .stalled(["consume-loop"]))
        let still = state.tick(failingLiveness: ["consume-loop"], failingReadiness: [])
        #expect(still == .init(sendWatchdog: false, status: nil, transition: nil))
        let back = state.tick(failingLiveness: [], failingReadiness: [])
        #expect(back == .init(sendWatchdog: true, status: "running", transition: .recovered))
    }

    @Test func heartbeatIsFreshOnlyAfterARecentBeat() {
        let heartbeat = Heartbeat()
        #expect(!heartbeat.isFresh(within: .seconds(60)))
        heartbeat.beat()
        #expect(heartbeat.isFresh(within: .seconds(60)))
        #expect(!heartbeat.isFresh(within: .zero - .seconds(1)))
        let checks = HealthChecks()
        checks.addLiveness("loop", heartbeat: heartbeat, maxAge: .seconds(60))
        #expect(checks.isAlive)
    }
}
