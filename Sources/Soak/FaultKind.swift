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
}
