import Foundation
public import Postgres
public import Scaling

/// One run of the plan: the decision per worker kind, recorded, and applied with --apply
/// (`itp-admin scale plan`). The console's scaling page runs the same plan with `record` off:
/// looking at the page neither adds a reading (readings decide a scale-in) nor applies anything.
public struct ScalePlanning: Sendable {
    public var policy: ScalePolicy
    public var defaultJobSeconds: Double
    public var systemd: SystemdInstances
    public var apply: Bool
    /// Whether this run's reading is stored in `scale_readings` (the scheduled plan's runs).
    public var record: Bool
    /// Who applies it, for the audit.
    public var actor: AuditActor

    public init(policy: ScalePolicy, defaultJobSeconds: Double, systemd: SystemdInstances, apply: Bool, record: Bool = true, actor: AuditActor) {
        self.policy = policy
        self.defaultJobSeconds = defaultJobSeconds
        self.systemd = systemd
        self.apply = apply
        self.record = record
        self.actor = actor
    }

    public func plan(_ kind: WorkerKind, snapshot: QueueSnapshot, brokerRestarted: Bool, on connection: PostgresConnection) throws -> ScalePlanEntry {
        var policy = self.policy
        policy.concurrency = kind.concurrency
        let store = ScaleReadingStore(connection: connection)
        let now = try store.now()
        let measured = try store.meanJobSeconds(queue: kind.queue)
        let jobSeconds = measured?.seconds ?? defaultJobSeconds

        var running: [Int] = []
        let current: Int
        let currentSource: String
        do {
            running = try systemd.running(kind.unit)
            current = running.count
            currentSource = "systemd"
        } catch {
            current = snapshot.consumers
            currentSource = "broker consumers; systemd unavailable: "
                + String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        }

        let planner = ScalePlanner(policy: policy)
        var reading = ScaleReading(takenAt: now, ready: snapshot.ready, inFlight: snapshot.inFlight, jobSeconds: jobSeconds, needed: 0)
        reading.needed = planner.needed(ready: reading.ready, inFlight: reading.inFlight, jobSeconds: jobSeconds)
        let decision: ScalePlanner.Decision
        if snapshot.declared {
            let restartedAt = brokerRestarted ? now : try store.lastBrokerRestart()
            decision = planner.decide(
                reading: reading, current: current, history: try store.history(queue: kind.queue, within: policy.readingWindowSeconds),
                brokerRestartedAt: restartedAt)
            if record {
                try store.record(reading, queue: kind.queue, consumers: snapshot.consumers, instances: current, desired: decision.desired,
                                 brokerRestarted: brokerRestarted)
            }
        } else {
            decision = .init(needed: current, desired: current, action: .hold, reason: "the queue is not declared (run: itp-admin broker setup)")
        }
        // Without systemd (a dry run elsewhere) the consumers stand for instances 1…N.
        let instances = currentSource == "systemd" ? running : (current == 0 ? [] : Array(1...current))
        var entry = ScalePlanEntry(
            queue: kind.queue, unit: "\(kind.unit)@", ready: snapshot.ready, inFlight: snapshot.inFlight, consumers: snapshot.consumers,
            jobSeconds: jobSeconds, jobSecondsSource: measured.map { "measured (\($0.samples) attempts in the last hour)" } ?? "default",
            concurrency: kind.concurrency, current: current, currentSource: currentSource, needed: decision.needed,
            desired: decision.desired, action: decision.action.name, reason: decision.reason, brokerRestarted: brokerRestarted,
            commands: SystemdInstances.commands(unit: kind.unit, running: instances, desired: decision.desired), applied: false, errors: [])
        guard apply, record, !entry.commands.isEmpty else { return entry }
        guard currentSource == "systemd" else {
            entry.errors.append("not applied: the running instances are unknown without systemd")
            return entry
        }
        for command in entry.commands {
            let result = try systemd.run(command)
            if result.status != 0 {
                entry.errors.append("systemctl \(command.joined(separator: " ")) exited \(result.status): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        entry.applied = entry.errors.isEmpty
        // The effect is systemd's, outside the database: audited right after the commands ran.
        try AuditLog.record(
            actor, action: "scale.apply", selection: "{\"queue\":\"\(kind.queue)\"}",
            dryRun: "{\"current\":\(current),\"desired\":\(decision.desired)}",
            result: entry.commands.map { $0.joined(separator: " ") }.joined(separator: "; ") + (entry.errors.isEmpty ? "" : " — failed: " + entry.errors.joined(separator: "; ")),
            counts: AuditLog.Counts(succeeded: entry.errors.isEmpty ? entry.commands.count : 0, refused: entry.errors.count), on: connection)
        return entry
    }
}

extension ScalePlanner.Action {
    public var name: String {
        switch self {
        case .scaleOut: "scale_out"
        case .scaleIn: "scale_in"
        case .hold: "hold"
        }
    }
}
