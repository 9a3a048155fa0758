/// What the soak injects (issue 8).
public enum FaultKind: String, Sendable, CaseIterable, Hashable {
    /// kill -9 of a random daemon (any kind).
    case killDaemon = "kill-daemon"
    /// SIGTERM of a random daemon (it must drain and exit 0; it is restarted).
    case terminateDaemon = "term-daemon"
    /// A daemon's own SIGKILL between a job's commit and its ack (the JobRuntime fault point).
    case killAfterCommit = "kill-after-commit"
    /// kill -9 of the broker, restart after a few seconds.
    case brokerKill = "broker-kill"
    /// SIGSTOP of the broker for a few seconds, then SIGCONT.
    case brokerStall = "broker-stall"
    /// `pg_ctl stop -m immediate` (a crash), restart after a few seconds.
    case postgresCrash = "postgres-crash"
    /// Runs on a Postgres pair only (`--postgres-pair`): kill -9 of the primary and promotion of
    /// its synchronous standby while the fleet runs on the multi-host URL; then the dead
    /// primary is rebuilt as the new primary's synchronous standby, ready for the next one.
    case postgresFailover = "postgres-failover"
    /// The fake image API answers 429 / 500 / slowly / beyond the timeout / garbage.
    case provider = "provider"
    /// Malformed messages published straight to the work queues.
    case poison = "poison"
    /// Cluster runs only (issue 19): kill -9 of the node a worker is connected to (found from
    /// the worker's own sockets), restarted after a few seconds.
    case nodeKillConnected = "node-kill-connected"
    /// Cluster runs only: kill -9 of the node leading a work queue's quorum (Raft leader), restarted.
    case nodeKillLeader = "node-kill-leader"
    /// Cluster runs only: graceful stop of a node (`rabbitmqctl stop`), started again; it rejoins.
    case nodeRestart = "node-restart"
    /// Cluster runs only: a node frozen with SIGSTOP past the net tick time (10 s), so the other
    /// two declare it down and the cluster partitions; then SIGCONT and the heal step. The
    /// partition of a cluster on the root namespace's loopback, which no link can cut.
    case nodePause = "node-pause"
    /// Cluster runs under `scripts/netns` only: a real network partition. A node's link to the
    /// others and to every client goes down past the net tick time (pause_minority stops its
    /// app), then up again; the cluster heals itself.
    case nodePartition = "node-partition"

    /// The faults of a run against the three-node cluster: the partition is a real one when
    /// the cluster's nodes live in network namespaces, else the SIGSTOP stand-in.
    public static func cluster(partitionable: Bool) -> [FaultKind] {
        [.nodeKillConnected, .nodeKillLeader, .nodeRestart, partitionable ? .nodePartition : .nodePause]
    }
    /// Every fault that needs the three-node cluster.
    public static let clusterOnly: Set<FaultKind> = [.nodeKillConnected, .nodeKillLeader, .nodeRestart, .nodePause, .nodePartition]

    /// The faults whose recovery time the summary reports (``ResumeClock``): the cluster's
    /// and the Postgres failover.
    public static var timed: [FaultKind] { allCases.filter { clusterOnly.contains($0) || $0 == .postgresFailover } }

    /// What of `faults` a run can inject: against the cluster (`partitionable` says whether
    /// its partition is a real one) its faults replace the single node's; against the single
    /// node (nil) none of the cluster's. On a Postgres pair the failover replaces the single
    /// Postgres' crash; without one there is no failover.
    public static func injectable(_ faults: Set<FaultKind>, cluster partitionable: Bool?, postgresPair: Bool) -> Set<FaultKind> {
        var faults = faults.subtracting(postgresPair ? [.postgresCrash] : [.postgresFailover])
        guard let partitionable else { return faults.subtracting(clusterOnly) }
        faults = faults.subtracting(singleBroker)
        return faults.subtracting(clusterOnly.subtracting(cluster(partitionable: partitionable)))
    }
    /// The faults of the single broker node (not used when the fleet runs against the cluster).
    public static let singleBroker: Set<FaultKind> = [.brokerKill, .brokerStall]
}
