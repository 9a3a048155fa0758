import ArgumentParser
import Foundation
import Operations
import Postgres
import Scaling
import Settings

/// `itp-admin scale plan [--apply]`: what systemd/itp-scale.service runs every minute.
struct ScalePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Per worker kind, the instances needed to drain the backlog within a target time; --apply starts/stops systemd instances.",
        discussion: """
            needed = ceil((ready + in flight) × seconds per job ÷ (target drain seconds × jobs per instance)),
            bounded by --min and --max. READY is the broker's count; IN FLIGHT is Postgres 'running' jobs \
            (no management plugin needed); seconds per job is the mean of successful attempts in the last \
            hour (at least 3), else --default-job-seconds; jobs per instance is the worker's prefetch \
            (ITP_DESIGN_PREFETCH, ITP_MOCKUP_PREFETCH from the environment or --config file).

            Scale-out is immediate. Scale-in never happens on a single reading: every run records its \
            reading in Postgres (scale_readings), and instances are stopped only when --scale-in-readings \
            consecutive readings within --reading-window-seconds all ask for fewer; never within \
            --restart-hold-seconds of a broker restart (detected with a non-durable marker queue, \
            itp.admin.restart-marker, which a restart removes).

            Instances are systemd template units (itp-design-worker@N, itp-flatlay-worker@N, \
            itp-mr-imagine@N): running ones are read with 'systemctl list-units' (without systemd, the \
            queue's consumer count stands in). Without --apply this is a dry run that prints the \
            systemctl commands it would run; with --apply it runs them (new instances take the lowest \
            free numbers; scale-in stops the highest).

            Exit codes: 0 success; 1 a systemctl command failed; 64 bad usage; 69 a server is unreachable.
            """)

    @OptionGroup var options: DaemonOptions

    @Option(help: "Drain the backlog within this many seconds.") var targetDrainSeconds: Double = 300
    @Option(help: "Fewest instances per worker kind.") var min = 1
    @Option(help: "Most instances per worker kind.") var max = 8
    @Option(help: "Consecutive readings that must all ask for fewer instances before scaling in (at least 2).")
    var scaleInReadings = 3
    @Option(help: "Only readings this recent count toward a scale-in.") var readingWindowSeconds: Double = 900
    @Option(help: "No scale-in for this long after a broker restart.") var restartHoldSeconds: Double = 300
    @Option(help: "Seconds per job when fewer than 3 were measured in the last hour.") var defaultJobSeconds: Double = 30
    @Option(name: .customLong("worker"), help: "QUEUE=UNIT: plan this queue for template UNIT@N.service instead of the fleet's workers (repeatable).")
    var workers: [String] = []
    @Option(help: "Jobs per instance for --worker entries (the fleet's workers use their prefetch settings).") var concurrency = 1
    @Option(help: "The systemctl executable.") var systemctl = "systemctl"
    @Flag(help: "Run the systemctl commands (default: print them only).") var apply = false
    @Flag(help: "Print JSON for scripts.") var json = false

    func validate() throws {
        guard min >= 0, max >= 1, min <= max else { throw ValidationError("need 0 ≤ --min ≤ --max and --max ≥ 1") }
        guard targetDrainSeconds > 0, defaultJobSeconds > 0 else { throw ValidationError("--target-drain-seconds and --default-job-seconds must be positive") }
        guard scaleInReadings >= 2 else { throw ValidationError("--scale-in-readings must be at least 2: never scale in on a single reading") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        // The fleet's template instances are numbered 1…99 (their metrics ports, systemd/README.md).
        guard !workers.isEmpty || max <= ObservabilityPorts.maxInstance else {
            throw ValidationError("--max is at most \(ObservabilityPorts.maxInstance) for the fleet's workers (instances @1…@\(ObservabilityPorts.maxInstance))")
        }
    }

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin scale plan")
        let kinds: [WorkerKind]
        do {
            kinds = workers.isEmpty
                ? WorkerKind.defaults(source: settings.source)
                : try workers.map { try WorkerKind.parse($0, concurrency: concurrency) }
        } catch {
            AdminFailure.fail("\(error)", code: ExitCode.validationFailure.rawValue)
        }
        let database = AdminConnection.client(settings)
        let broker = await AdminBroker.connect(settings)
        let plans: [ScalePlanEntry]
        do {
            let markerMissing = try await BrokerRestartMarker.missing(on: broker)
            let snapshots = try await QueueSnapshot.take(QueueSnapshot.queues(named: kinds.map(\.queue)), broker: broker, database: database)
            await broker.close()
            let planning = ScalePlanning(
                policy: ScalePolicy(
                    targetDrainSeconds: targetDrainSeconds, minInstances: min, maxInstances: max, scaleInReadings: scaleInReadings,
                    readingWindowSeconds: readingWindowSeconds, restartHoldSeconds: restartHoldSeconds),
                defaultJobSeconds: defaultJobSeconds, systemd: SystemdInstances(systemctl: systemctl), apply: apply, actor: AdminActor.current)
            plans = try await database.withConnection { connection in
                // A missing marker is a restart only if one was ever placed: on a fresh broker
                // (or the plan's first run) there is nothing to hold scale-in for.
                let restarted = try markerMissing && ScaleReadingStore(connection: connection).markerWasPlaced()
                return try zip(kinds, snapshots).map { kind, snapshot in
                    try planning.plan(kind, snapshot: snapshot, brokerRestarted: restarted, on: connection)
                }
            }
            await database.shutdown()
        } catch {
            await broker.close()
            AdminFailure.handle(error)
        }
        if json {
            try AdminJSON.print(plans)
        } else {
            for entry in plans { print(entry.text(apply: apply)) }
        }
        if plans.contains(where: { !$0.errors.isEmpty }) { throw ExitCode(1) }
    }
}
