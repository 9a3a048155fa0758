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
    /// two declare it down and the cluster partitions; then SIGCONT and the heal step. This is
    /// the fallback the issue allows for a partition: a real one needs every client (daemons,
    /// harness, Postgres) inside network namespaces, which the soak's loopback set-up is not.
    case nodePause = "node-pause"

    /// The faults that need the three-node cluster.
    public static let cluster: [FaultKind] = [.nodeKillConnected, .nodeKillLeader, .nodeRestart, .nodePause]
    /// The faults of the single broker node (not used when the fleet runs against the cluster).
    public static let singleBroker: Set<FaultKind> = [.brokerKill, .brokerStall]
}
