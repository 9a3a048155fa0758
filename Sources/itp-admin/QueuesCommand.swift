import ArgumentParser
import Foundation
import Operations
import Settings

/// `itp-admin queues`: per work queue, what waits, what runs, who consumes, what died.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Show each work queue: ready, in flight, consumers, oldest waiting job's age, dead letters.",
        discussion: """
            READY and CONSUMERS come from the broker (a passive queue.declare: exact, but it reads 0 \
            for a second or two after a broker restart). IN FLIGHT is the number of jobs claimed \
            and not finished (Postgres 'running' rows): the broker's unacked count needs the \
            management plugin, which the fleet does not require. OLDEST WAITING is the age of the \
            oldest queued job (or due retry) in Postgres. DEAD: recorded dead letters (unresolved: \
            the job is still dead) and messages in <queue>.dead not yet recorded.

            Exit codes: 0 success; 69 the database or the broker is unreachable.
            """)

    @OptionGroup var options: DaemonOptions

    @Option(name: .customLong("queue"), help: "Only this work queue (repeatable). Default: every work queue.")
    var queues: [String] = []

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin queues")
        let database = AdminConnection.client(settings)
        let broker = await AdminBroker.connect(settings)
        let snapshots: [QueueSnapshot]
        do {
            snapshots = try await QueueSnapshot.take(QueueSnapshot.queues(named: queues), broker: broker, database: database)
        } catch {
            await broker.close()
            AdminFailure.handle(error)
        }
        await broker.close()
        await database.shutdown()
        if json {
            try AdminJSON.print(snapshots)
            return
        }
        var table = Table("QUEUE", "READY", "IN FLIGHT", "CONSUMERS", "QUEUED", "RETRYING", "OLDEST WAITING", "DEAD (UNRESOLVED)", "IN .DEAD")
        var notes: [String] = []
        for snapshot in snapshots {
            guard snapshot.declared else {
                table.add([snapshot.queue] + Array(repeating: "-", count: 8))
                notes.append("\(snapshot.queue): not declared (run: itp-admin broker setup)")
                continue
            }
            table.add([
                snapshot.queue, "\(snapshot.ready)", "\(snapshot.inFlight)", "\(snapshot.consumers)", "\(snapshot.queuedJobs)",
                "\(snapshot.retryingJobs)", snapshot.oldestWaitingSeconds.map(Age.format) ?? "-",
                "\(snapshot.deadLettersRecorded) (\(snapshot.deadLettersUnresolved))", "\(snapshot.deadLetterQueueReady)",
            ])
        }
        print(table.render())
        for note in notes { print(note) }
    }
}

/// Durations for people: `42s`, `3m10s`, `5h02m`, `2d03h`.
enum Age {
    static func format(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        switch total {
        case ..<60: return "\(total)s"
        case ..<3600: return "\(total / 60)m\(String(format: "%02d", total % 60))s"
        case ..<86400: return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m"
        default: return "\(total / 86400)d\(String(format: "%02d", total % 86400 / 3600))h"
        }
    }
}
