import Foundation
import Synchronization

/// Injects the scheduled faults at random moments until stopped, one at a time: a server
/// fault includes its recovery (restart, SIGCONT), so when ``stop()`` returns every server
/// is up again. Poison messages are published among them.
final class FaultInjector: Sendable {
    private let fleet: SoakFleet
    private let servers: ServersScript?
    private let poison: PoisonPublisher
    private let faults: Set<FaultKind>
    private let interval: ClosedRange<Double>
    private let limit: Int?
    private let poisonTotal: Int
    private let leading: [FaultKind]
    /// The cluster's faults, with a cluster run (nil against the single broker node).
    private let clusterFaults: ClusterFaults?
    let resumeClock: ResumeClock
    private let state = Mutex(State())

    struct State {
        var running = true
        var counts: [String: Int] = [:]
        var poisonIndex = 0
        var confirmedPoison: Set<String> = []
        var uncertainPoison: Set<String> = []
        var log: [String] = []
    }

    init(fleet: SoakFleet, servers: ServersScript?, poison: PoisonPublisher, configuration: SoakConfiguration, conninfo: String) {
        self.fleet = fleet
        self.servers = servers
        self.poison = poison
        resumeClock = ResumeClock(conninfo: conninfo)
        if let servers, let cluster = configuration.cluster {
            clusterFaults = ClusterFaults(fleet: fleet, servers: servers, cluster: cluster, clock: resumeClock)
            faults = FaultKind.injectable(configuration.faults, cluster: cluster.partitionable, postgresPair: configuration.postgresPair != nil)
        } else {
            clusterFaults = nil
            faults = FaultKind.injectable(configuration.faults, cluster: nil, postgresPair: configuration.postgresPair != nil)
        }
        let drawn = faults
        leading = configuration.leadingFaults.filter { drawn.contains($0) }
        interval = configuration.faultInterval
        limit = configuration.faultLimit
        poisonTotal = configuration.faults.contains(.poison) ? configuration.poisonMessages : 0
    }

    var counts: [String: Int] { state.withLock { $0.counts } }
    var confirmedPoison: Set<String> { state.withLock { $0.confirmedPoison } }
    var uncertainPoison: Set<String> { state.withLock { $0.uncertainPoison } }
    var eventLog: [String] { state.withLock { $0.log } }

    func stop() { state.withLock { $0.running = false } }
    private var isRunning: Bool { state.withLock { $0.running } }

    /// The weighted menu of what can happen next.
    private var menu: [(FaultKind?, Int)] {
        var menu: [(FaultKind?, Int)] = []
        if faults.contains(.killDaemon) { menu.append((.killDaemon, 35)) }
        if faults.contains(.terminateDaemon) { menu.append((.terminateDaemon, 15)) }
        if servers != nil {
            if faults.contains(.brokerKill) { menu.append((.brokerKill, 8)) }
            if faults.contains(.brokerStall) { menu.append((.brokerStall, 8)) }
            if faults.contains(.postgresCrash) { menu.append((.postgresCrash, 8)) }
            if faults.contains(.postgresFailover) { menu.append((.postgresFailover, 8)) }
        }
        if clusterFaults != nil {
            for kind in FaultKind.allCases where FaultKind.clusterOnly.contains(kind) && faults.contains(kind) { menu.append((kind, 8)) }
        }
        if poisonTotal > 0 { menu.append((nil, 14)) }  // nil: a poison message
        return menu
    }

    func run(started: ContinuousClock.Instant) async {
        let menu = self.menu
        let total = menu.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return }
        var injected = 0
        // The leading faults are injected even when the storefront phase ends first: a short
        // run still has each of them.
        func due() -> Bool { (isRunning || injected < leading.count) && !Task.isCancelled && injected < limit ?? .max }
        while due() {
            try? await Task.sleep(for: .milliseconds(Int(Double.random(in: interval) * 1000)))
            injected += 1
            guard isRunning || injected <= leading.count else { break }
            var roll = Int.random(in: 0..<total)
            var choice: FaultKind?
            if injected <= leading.count {
                choice = leading[injected - 1]
            } else {
                for (kind, weight) in menu {
                    if roll < weight { choice = kind; break }
                    roll -= weight
                }
            }
            let elapsed = Int((ContinuousClock.now - started) / .seconds(1))
            if let choice {
                let what = await inject(choice)
                record(choice.rawValue, "t+\(elapsed)s \(what)")
            } else if state.withLock({ $0.poisonIndex < poisonTotal }) {
                let what = await publishPoison()
                record("poison", "t+\(elapsed)s \(what)")
            }
        }
    }

    /// Publishes whatever poison is still due (at the end of the storefront phase, so the
    /// count is exactly the configured one).
    func publishRemainingPoison() async {
        while state.withLock({ $0.poisonIndex < poisonTotal }) {
            record("poison", await publishPoison())
        }
    }

    private func record(_ kind: String, _ line: String) {
        state.withLock {
            $0.counts[kind, default: 0] += 1
            $0.log.append(line)
        }
    }

    private func publishPoison() async -> String {
        let index = state.withLock { state -> Int in
            defer { state.poisonIndex += 1 }
            return state.poisonIndex
        }
        switch await poison.publish(index) {
        case .confirmed(let id):
            state.withLock { _ = $0.confirmedPoison.insert(id) }
            return "poison \(id) published"
        case .uncertain(let id):
            state.withLock { _ = $0.uncertainPoison.insert(id) }
            return "poison \(id) publish unconfirmed"
        case .notPublished:
            state.withLock { $0.poisonIndex -= 1 }
            return "poison not published (no broker connection); will retry"
        }
    }

    private func inject(_ kind: FaultKind) async -> String {
        switch kind {
        case .killDaemon, .terminateDaemon:
            let running = fleet.processes.filter(\.isRunning)
            guard let victim = running.randomElement() else { return "\(kind.rawValue): nothing running" }
            victim.signal(kind == .killDaemon ? SIGKILL : SIGTERM)
            return "\(kind.rawValue) \(victim.name)"
        case .brokerKill:
            let down = Double.random(in: 1...5)
            return await serverFault("broker kill -9, down \(String(format: "%.1f", down)) s", ["broker-stop", "--kill"], down, ["broker-start"])
        case .brokerStall:
            let stall = Double.random(in: 3...10)
            return await serverFault("broker SIGSTOP for \(String(format: "%.1f", stall)) s", ["broker-pause"], stall, ["broker-resume"])
        case .postgresCrash:
            let down = Double.random(in: 1...4)
            return await serverFault("postgres immediate stop, down \(String(format: "%.1f", down)) s", ["postgres-stop", "--immediate"], down, ["postgres-start"])
        case .postgresFailover:
            return await failover()
        case .nodeKillConnected, .nodeKillLeader, .nodeRestart, .nodePause, .nodePartition:
            guard let clusterFaults else { return "\(kind.rawValue): no cluster" }
            return await clusterFaults.inject(kind)
        case .killAfterCommit, .provider, .poison:
            return "\(kind.rawValue) is not scheduled"
        }
    }

    /// kill -9 of the pair's primary and promotion of the standby; after a few seconds on the
    /// new primary alone, the dead one rejoins as its synchronous standby.
    private func failover() async -> String {
        guard let servers else { return "postgres-failover: no servers script" }
        resumeClock.start(.postgresFailover, scope: .fleet, at: Date())
        let started = ContinuousClock.now
        do {
            try await offThread { try servers.run(["pgpair-failover"]) }
        } catch {
            return "postgres-failover: FAILED: \(error)"
        }
        let promoted = (ContinuousClock.now - started) / .seconds(1)
        let alone = Double.random(in: 3...8)
        try? await Task.sleep(for: .milliseconds(Int(alone * 1000)))
        let what = String(format: "postgres-failover: primary kill -9, standby promoted after %.1f s; the new primary alone for %.1f s", promoted, alone)
        for attempt in 1...5 {
            if (try? await offThread { try servers.run(["pgpair-rejoin"]) }) != nil { return what + ", then the old one rejoined as its synchronous standby" }
            try? await Task.sleep(for: .seconds(Double(attempt)))
        }
        return what + ": rejoining the old primary as the standby FAILED"
    }

    private func serverFault(_ what: String, _ stop: [String], _ seconds: Double, _ start: [String]) async -> String {
        guard let servers else { return "\(what): no servers script" }
        do {
            try await offThread { try servers.run(stop) }
        } catch {
            return "\(what): stopping failed: \(error)"
        }
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        // Recovery must happen whatever it takes: the rest of the run depends on it.
        for attempt in 1...10 {
            do {
                try await offThread { try servers.run(start) }
                return what
            } catch {
                try? await Task.sleep(for: .seconds(Double(attempt)))
            }
        }
        return "\(what): RECOVERY FAILED"
    }

    private func offThread(_ work: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }
}
