import Foundation

/// TEST-ONLY fault points for the fault-injection soak (`itp-soak`). Off unless one of these
/// is set in the environment; never set them in production.
///
/// - `ITP_FAULT_ACK_DELAY_MS`: sleep this long between a job's commit and its ack, widening
///   the window in which an external `kill -9` or a broker failure lands exactly there.
/// - `ITP_FAULT_KILL_AFTER_COMMIT_PERCENT`: with this probability (0–100) the process sends
///   itself SIGKILL between the commit and the ack (a crash at the worst instant: the effects
///   are committed, the message is not acked and will be redelivered).
///
/// Both are read once. A line naming the job goes to stderr before the self-kill, so the
/// harness can count these crashes.
public enum FaultInjection {
    private static let settings: (delay: Duration?, killPercent: Double) = {
        let environment = ProcessInfo.processInfo.environment
        let delay = environment["ITP_FAULT_ACK_DELAY_MS"].flatMap(Int.init).flatMap { $0 > 0 ? Duration.milliseconds($0) : nil }
        let percent = environment["ITP_FAULT_KILL_AFTER_COMMIT_PERCENT"].flatMap(Double.init).map { min(max($0, 0), 100) } ?? 0
        return (delay, percent)
    }()

    /// Whether any fault point is configured (for a warning at boot).
    public static var isEnabled: Bool { settings.delay != nil || settings.killPercent > 0 }

    /// Called by ``WorkerService`` after a job's results committed and before its ack.
    static func betweenCommitAndAck(job: UUID) async {
        await betweenCommitAndAck(of: "job \(job.uuidString.lowercased())")
    }

    /// Called by ``WorkerService`` after a message's dead letter committed and before its ack.
    static func betweenCommitAndAck(deadLetterOf messageID: String?) async {
        await betweenCommitAndAck(of: "the dead-lettered message \(messageID ?? "without an id")")
    }

    private static func betweenCommitAndAck(of what: String) async {
        let settings = Self.settings
        if settings.killPercent > 0, Double.random(in: 0..<100) < settings.killPercent {
            FileHandle.standardError.write(Data("fault-injection: SIGKILL between commit and ack of \(what)\n".utf8))
            kill(getpid(), SIGKILL)
        }
        if let delay = settings.delay {
            try? await Task.sleep(for: delay)
        }
    }
}
