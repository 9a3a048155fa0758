import FleetTesting
import Foundation
import ProductFlow

/// The faults of a run against the three-node cluster (issue 19), each with its recovery:
/// when ``inject(_:)`` returns, every node runs again and the cluster is whole (3 running
/// nodes, no partition), so the next fault never takes a second node from a majority.
///
/// The partition is a real network cut (``FaultKind/nodePartition``) when the run is inside
/// `scripts/netns`, whose namespaces hold the nodes; on the root namespace's loopback, where
/// no link can be cut, it is the SIGSTOP stand-in (``FaultKind/nodePause``).
struct ClusterFaults: Sendable {
    let fleet: SoakFleet
    let servers: ServersScript
    let cluster: ClusterTestEnvironment
    let clock: ResumeClock

    /// The queues the soak's fleet consumes (the webhook queue has no worker in the soak).
    static let workQueues = [
        ProductQueues.designGenerate.name, ProductQueues.mockupFlatLay.name, ProductQueues.mockupMrImagine.name,
        ProductQueues.finalizerEvents.name,
    ]

    func inject(_ kind: FaultKind) async -> String {
        switch kind {
        case .nodeKillConnected: return await killConnectedNode()
        case .nodeKillLeader: return await killLeaderNode()
        case .nodeRestart: return await restartNode()
        case .nodePause, .nodePartition: return await isolateNode(kind)
        default: return "\(kind.rawValue) is not a cluster fault"
        }
    }

    /// The running daemons that have a connection to `node`, by pid (kernel socket tables).
    private func daemons(on node: Int, consumersOnly: Bool = false) -> [(FleetProcess, Int32)] {
        let port = cluster.ports[node - 1]
        return fleet.processes.compactMap { process in
            guard !consumersOnly || process.kind != .intake, let pid = process.pid,
                BrokerSockets.ports(of: pid, among: [port]).contains(port)
            else { return nil }
            return (process, pid)
        }
    }

    private func scope(of daemons: [(FleetProcess, Int32)]) -> ResumeClock.Scope {
        let workers = daemons.filter { $0.0.kind != .intake }.map(\.1)
        return workers.isEmpty ? .fleet : .workers(workers)
    }

    private func killConnectedNode() async -> String {
        // A worker (any consuming daemon) and the node it is connected to; a daemon between
        // two connections has none: look again for a while.
        let deadline = ContinuousClock.now + .seconds(60)
        var chosen: (FleetProcess, Int32, Int)?
        while chosen == nil, ContinuousClock.now < deadline {
            let ports = Set(cluster.ports)
            let connected = fleet.processes.compactMap { process -> (FleetProcess, Int32, Int)? in
                guard process.kind != .intake, let pid = process.pid,
                    let port = BrokerSockets.ports(of: pid, among: ports).first, let node = cluster.node(port: port)
                else { return nil }
                return (process, pid, node)
            }
            chosen = connected.randomElement()
            if chosen == nil { try? await Task.sleep(for: .seconds(1)) }
        }
        guard let (worker, pid, node) = chosen else { return "node-kill-connected: no worker connected to any node for 60 s" }
        let others = daemons(on: node, consumersOnly: true).filter { $0.1 != pid }
        clock.start(.nodeKillConnected, scope: .workers([pid] + others.map(\.1)), at: Date())
        let down = Double.random(in: 2...6)
        let recovery = await killAndRestart(node, down: down)
        return "node-kill-connected: itp\(node) (\(worker.name)'s node; \(others.count) more workers on it) kill -9, down \(Self.seconds(down))\(recovery)"
    }

    private func killLeaderNode() async -> String {
        let queue = Self.workQueues.randomElement()!
        var leader: Int?
        for asking in [1, 2, 3].shuffled() where leader == nil {
            leader = try? await cluster.queueLeader(queue, askingNode: asking)
        }
        guard let leader else { return "node-kill-leader: no leader reported for \(queue)" }
        clock.start(.nodeKillLeader, scope: .queue(queue), at: Date())
        let down = Double.random(in: 2...6)
        let recovery = await killAndRestart(leader, down: down)
        return "node-kill-leader: itp\(leader) (leader of \(queue)) kill -9, down \(Self.seconds(down))\(recovery)"
    }

    private func restartNode() async -> String {
        let node = Int.random(in: 1...3)
        let connected = daemons(on: node)
        clock.start(.nodeRestart, scope: scope(of: connected), at: Date())
        let stopped = await attempt(["cluster-node-stop", "\(node)"], tries: 3)
        let down = Double.random(in: 2...5)
        try? await Task.sleep(for: .milliseconds(Int(down * 1000)))
        let recovery = await recover(node)
        return "node-restart: itp\(node) (\(connected.count) daemons on it) graceful stop\(stopped ? "" : " FAILED (killed)"), down \(Self.seconds(down))\(recovery)"
    }

    /// A node cut off from the other two and from its clients past the net tick time (10 s,
    /// declared down after 10-12.5 s), then back: its link down and up again
    /// (``FaultKind/nodePartition``: the majority goes on, and the node, alone in its minority,
    /// stops its app and heals by itself), or frozen with SIGSTOP and then SIGCONT and the heal
    /// step (``FaultKind/nodePause``).
    private func isolateNode(_ kind: FaultKind) async -> String {
        let partition = kind == .nodePartition
        let (isolate, rejoin) = partition ? ("cluster-node-cut", "cluster-node-heal") : ("cluster-node-pause", "cluster-node-resume")
        let how = partition ? "link down" : "SIGSTOP"
        let node = Int.random(in: 1...3)
        let connected = daemons(on: node)
        let isolated = Double.random(in: 18...24)
        clock.start(kind, scope: scope(of: connected), at: Date())
        guard await attempt([isolate, "\(node)"], tries: partition ? 2 : 1) else { return "\(kind.rawValue): \(how) of itp\(node) FAILED" }
        try? await Task.sleep(for: .milliseconds(Int(isolated * 1000)))
        let started = ContinuousClock.now
        var healed = await attempt([rejoin, "\(node)"], tries: 2)
        if !healed { healed = await attempt(["cluster-await"], tries: 2) }
        let took = (ContinuousClock.now - started) / .seconds(1)
        return "\(kind.rawValue): itp\(node) (\(connected.count) daemons on it) \(how) for \(Self.seconds(isolated)), "
            + (partition ? "then up" : "SIGCONT + heal") + (healed ? ", whole again after \(Self.seconds(took))" : ": RECOVERY FAILED")
    }

    private func killAndRestart(_ node: Int, down: Double) async -> String {
        guard await attempt(["cluster-node-kill", "\(node)"], tries: 2) else { return ": kill FAILED" }
        try? await Task.sleep(for: .milliseconds(Int(down * 1000)))
        return await recover(node)
    }

    /// Starts `node` again on its data (it rejoins) and waits until the cluster is whole.
    private func recover(_ node: Int) async -> String {
        let started = ContinuousClock.now
        // Recovery must happen whatever it takes: the rest of the run depends on it.
        var up = false
        for attempt in 1...6 where !up {
            up = await self.attempt(["cluster-node-start", "\(node)"], tries: 1)
            if !up {
                _ = await self.attempt(["cluster-node-kill", "\(node)"], tries: 1)
                try? await Task.sleep(for: .seconds(Double(attempt)))
            }
        }
        guard up else { return ": RECOVERY FAILED (node did not start)" }
        guard await attempt(["cluster-await"], tries: 2) else { return ": RECOVERY FAILED (cluster not whole)" }
        return ", whole again after \(Self.seconds((ContinuousClock.now - started) / .seconds(1)))"
    }

    private func attempt(_ arguments: [String], tries: Int) async -> Bool {
        for _ in 1...tries {
            if (try? await servers.runOffPool(arguments)) != nil { return true }
        }
        return false
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }
}
