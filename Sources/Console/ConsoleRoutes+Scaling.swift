import Foundation
import Hummingbird
import Operations
import Postgres
import Scaling
import Vocabulary
import WebPages

/// `/scaling`: `itp-admin scale plan` as a page — per worker kind the plan the scheduled run
/// would make now (``ScalePlanning``, the same code, with its default policy), the readings
/// behind it, and why scale-in is or is not allowed. Looking changes nothing: no reading is
/// recorded, the broker-restart marker is only looked at, nothing is applied.
extension ConsoleRoutes {
    /// The plan's defaults (`itp-admin scale plan` without options, as systemd/itp-scale.service runs it).
    static let scalePolicy = ScalePolicy()
    static let defaultJobSeconds = 30.0

    func scaling(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        struct Reading { var at: String; var ready: Int; var inFlight: Int; var jobSeconds: String; var needed: Int }
        struct Kind {
            var queue: String; var unit: String; var ready: Int; var inFlight: Int; var consumers: Int; var jobSeconds: String
            var jobSecondsSource: String; var concurrency: Int; var current: Int; var currentSource: String; var needed: Int; var desired: Int
            var action: String; var reason: String; var scaleIn: String; var scaleInAllowed: Bool; var commands: [String]; var readings: [Reading]
            var hasReadings: Bool
        }
        struct Model {
            var bar: OperatorBar
            var problem: String?
            var policy: String
            var restart: String?
            var kinds: [Kind]
        }
        let policy = Self.scalePolicy
        let policyText = "drain within \(Int(policy.targetDrainSeconds)) s, \(policy.minInstances)–\(policy.maxInstances) instances, "
            + "scale-in after \(policy.scaleInReadings) consecutive readings within \(Int(policy.readingWindowSeconds)) s, "
            + "none within \(Int(policy.restartHoldSeconds)) s of a broker restart; \(Int(Self.defaultJobSeconds)) s per job until 3 are measured"
        guard let broker else {
            return try pages.page("scaling", Model(
                bar: OperatorBar(signedIn), problem: "This console has no broker connection: the plan needs the queues' readings.",
                policy: policyText, restart: nil, kinds: []))
        }
        let planning = ScalePlanning(
            policy: policy, defaultJobSeconds: Self.defaultJobSeconds, systemd: SystemdInstances(systemctl: systemctl), apply: false,
            record: false, actor: signedIn.actor)
        let workers = self.workers
        let plans: [(ScalePlanEntry, [ScaleReading])]
        let restarted: Bool
        do {
            let markerPresent = await BrokerRestartMarker.present(on: broker)
            let snapshots = try await QueueSnapshot.take(
                QueueSnapshot.queues(named: workers.map(\.queue)), broker: broker, database: database, deadLetters: false)
            let read = try await database.withConnection { connection -> ([(ScalePlanEntry, [ScaleReading])], Bool) in
                let store = ScaleReadingStore(connection: connection)
                let restarted = try !markerPresent && store.markerWasPlaced()
                let plans = try zip(workers, snapshots).map { kind, snapshot -> (ScalePlanEntry, [ScaleReading]) in
                    (try planning.plan(kind, snapshot: snapshot, brokerRestarted: restarted, on: connection),
                     try store.history(queue: kind.queue, within: policy.readingWindowSeconds))
                }
                return (plans, restarted)
            }
            plans = read.0
            restarted = read.1
        } catch {
            context.logger.warning("scale plan failed", metadata: [LogKey.error: "\(error)"])
            return try pages.page("scaling", Model(
                bar: OperatorBar(signedIn), problem: "The broker or the database did not answer: the plan is unavailable.",
                policy: policyText, restart: nil, kinds: []))
        }
        let kinds = plans.map { entry, history in
            let (scaleIn, allowed) = Self.scaleInVerdict(entry)
            return Kind(
                queue: entry.queue, unit: "\(entry.unit)N", ready: entry.ready, inFlight: entry.inFlight, consumers: entry.consumers,
                jobSeconds: Self.seconds(entry.jobSeconds), jobSecondsSource: entry.jobSecondsSource, concurrency: entry.concurrency,
                current: entry.current, currentSource: entry.currentSource, needed: entry.needed, desired: entry.desired,
                action: entry.action.replacingOccurrences(of: "_", with: " "), reason: entry.reason, scaleIn: scaleIn, scaleInAllowed: allowed,
                commands: entry.commands.map { "systemctl " + $0.joined(separator: " ") },
                readings: history.map {
                    Reading(at: ConsoleText.time($0.takenAt), ready: $0.ready, inFlight: $0.inFlight, jobSeconds: Self.seconds($0.jobSeconds), needed: $0.needed)
                }, hasReadings: !history.isEmpty)
        }
        return try pages.page("scaling", Model(
            bar: OperatorBar(signedIn), problem: nil, policy: policyText,
            restart: restarted ? "The broker restarted since the plan last ran (its marker queue is gone): no scale-in for now." : nil,
            kinds: kinds))
    }

    /// Whether the plan would scale this kind in now, and why (or why not).
    static func scaleInVerdict(_ entry: ScalePlanEntry) -> (String, Bool) {
        if entry.action == "scale_in" { return ("Allowed now: \(entry.reason).", true) }
        if entry.needed >= entry.current { return ("Not asked for: the backlog needs \(entry.needed), \(entry.current) run.", false) }
        return ("Not allowed now: \(entry.reason).", false)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
