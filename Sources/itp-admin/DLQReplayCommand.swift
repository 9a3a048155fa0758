import ArgumentParser
import Foundation
import JobRuntime
import Operations
import ProductFlow
import Postgres
import Settings

struct DLQReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay dead letters (by id, by filter, or --all): each dead job is queued again through the outbox.",
        discussion: """
            First a dry run: every selected item is decided in a transaction that is rolled back, and \
            the counts are printed (--dry-run stops there). Then, unless --yes, a confirmation is asked \
            on stdin. Items are replayed one transaction each, at most --rate per second, with a \
            result per item:
              replayed  the job was dead; it is queued again (fresh attempt budget) and its message
                        is in the outbox
              skipped   the job already succeeded (it is never run twice), or it is queued or
                        running again after an earlier replay
              refused   the job was cancelled or superseded on purpose; the message named no job;
                        a mockup of a failed product; or, for a design job that failed its
                        product, the owner's balance cannot cover the credits the replay
                        re-reserves (the product is revived failed → draft otherwise)
            Filters and --all select dead letters whose job is still dead (one per job); ids are \
            taken as given.

            Publishing: the replay's outbox rows commit with the job change, so nothing is lost. \
            itp-admin then runs the fleet's outbox relay itself until they are confirmed by the broker \
            (at most --publish-timeout seconds), so a replay goes out even when no daemon runs; \
            anything left is published by the relay of any running daemon.

            Exit codes: 0 nothing refused; 1 some item refused, or not confirmed; 64 bad usage; \
            69 the database is unreachable.
            """)

    @OptionGroup var options: DaemonOptions
    @Argument(help: "Dead letter ids (from dlq list).") var ids: [Int64] = []
    @OptionGroup var filter: DeadLetterFilter
    @Flag(help: "Replay every dead letter whose job is still dead.") var all = false
    @Flag(help: "Only print what would happen.") var dryRun = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Option(help: "Replays per second at most.") var rate: Double = 10
    @Option(help: "Seconds to wait for the broker to confirm the replayed messages.") var publishTimeout: Double = 30
    @Flag(help: "Print JSON for scripts.") var json = false

    func validate() throws {
        guard !ids.isEmpty || all || !filter.isEmpty else {
            throw ValidationError("name dead letter ids, filters (see --help) or --all")
        }
        guard ids.isEmpty || (filter.isEmpty && !all) else { throw ValidationError("give ids, or filters/--all, not both") }
        guard rate > 0 else { throw ValidationError("--rate must be positive") }
    }

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin dlq replay")
        let database = AdminConnection.client(settings)
        let targets: [(deadLetter: Int64, job: UUID?)]
        do {
            targets = try await select(on: database)
        } catch {
            AdminFailure.handle(error)
        }
        var replay = DeadLetterReplayRun(targets: targets, database: database)
        replay.selection = ids.isEmpty ? filter.selection.json : "{\"ids\":[\(ids.map(String.init).joined(separator: ","))]}"
        let items = try await replay.run(
            dryRun: dryRun, confirm: !yes, rate: rate, publishTimeout: publishTimeout, settings: settings, json: json, noun: "dead letter")
        await database.shutdown()
        if items.contains(where: { $0.result.hasSuffix("refused") }) { throw ExitCode(1) }
    }

    private func select(on database: PostgresClient) async throws -> [(deadLetter: Int64, job: UUID?)] {
        if !ids.isEmpty {
            let ids = self.ids
            let found = try await database.withConnection { connection in
                try connection.query("SELECT id, job_id FROM dead_letters WHERE id = ANY(\(ids))").map {
                    try $0.decode((Int64, UUID?).self)
                }
            }
            let known = Dictionary(found.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
            if let missing = ids.first(where: { known[$0] == nil }) { AdminFailure.fail("no dead letter \(missing)", code: 1) }
            return ids.map { ($0, known[$0] ?? nil) }
        }
        let selection = filter.selection
        // One per job: the latest dead letter of each job that is still dead.
        return try await database.withConnection { connection in
            try DeadLetterList.replayTargets(selection, on: connection).compactMap { target in
                target.deadLetter.map { ($0, target.job) }
            }
        }
    }
}

/// The dry run, confirmation, rate-limited replay and publish that `dlq replay` and
/// `jobs retry` share. The decisions and the audit are the library's (``ReplayBatch``,
/// ``AuditLog``), the same the console runs; this only asks, prints and publishes.
struct DeadLetterReplayRun {
    var targets: [(deadLetter: Int64?, job: UUID?)]
    var database: PostgresClient
    /// The audit's action name and selection (ids or the filter, as JSON).
    var action = "dlq.replay"
    var selection = "{}"

    init(targets: [(deadLetter: Int64, job: UUID?)], database: PostgresClient) {
        self.targets = targets.map { (Optional($0.deadLetter), $0.job) }
        self.database = database
    }

    init(jobs: [UUID], database: PostgresClient) {
        self.targets = jobs.map { (nil, Optional($0)) }
        self.database = database
    }

    private var batch: ReplayBatch {
        ReplayBatch(targets: targets.map { ReplayTarget(deadLetter: $0.deadLetter, job: $0.job) })
    }

    func run(
        dryRun: Bool, confirm: Bool, rate: Double, publishTimeout: Double, settings: DaemonSettings, json: Bool, noun: String
    ) async throws -> [ReplayItem] {
        let decided: [ReplayBatch.Item]
        do {
            decided = try await batch.plan(database: database)
        } catch {
            AdminFailure.handle(error)
        }
        let planned = decided.map(ReplayItem.init)
        let dry = ReplayBatch.summary(decided)
        let summary = "dry run: \(targets.count) \(noun)(s) selected: \(dry.replay) would be replayed, "
            + "\(dry.skip) skipped, \(dry.refuse) refused"
        if dry.replay == 0, !dryRun {
            // Nothing would change: the dry run's answers are the results.
            if json { try AdminJSON.print(planned) } else {
                print("nothing to replay: \(targets.count) \(noun)(s) selected, \(dry.skip) skipped, \(dry.refuse) refused")
                for item in planned { print(item.line) }
            }
            return planned
        }
        if dryRun {
            let verbs = ["replayed": "would_replay", "skipped": "would_skip", "refused": "would_refuse"]
            let items = planned.map { item in
                var item = item
                item.result = verbs[item.result] ?? item.result
                return item
            }
            if json { try AdminJSON.print(items) } else {
                print(summary)
                for item in items { print("  \(item.line)") }
            }
            return items
        }
        FileHandle.standardError.write(Data("\(summary)\n".utf8))
        if confirm, !Confirmation.ask("Replay \(dry.replay) \(noun)(s)?") {
            AdminFailure.fail("not confirmed: nothing was replayed", code: 1)
        }
        var items: [ReplayItem]
        do {
            let action = action, selection = selection, total = targets.count
            let auditID = try await database.withTransaction { connection in
                try AuditLog.begin(AdminActor.current, action: action, selection: selection, dryRun: dry.json, total: total, rate: rate, on: connection)
            }
            let done = try await batch.run(rate: rate, auditID: auditID, database: database)
            let note = ReplayBatch.resultNote(done)
            try await database.withConnection { try AuditLog.finish(auditID, failed: false, result: note, on: $0) }
            items = done.map(ReplayItem.init)
        } catch {
            AdminFailure.handle(error)
        }
        let messageIDs = items.compactMap(\.messageId)
        var publishNote: String?
        if !messageIDs.isEmpty {
            let report = await OutboxFlush.publish(
                messageIDs, settings: settings, database: database, timeout: .milliseconds(Int64(publishTimeout * 1000)))
            for index in items.indices where items[index].messageId != nil { items[index].published = report.pending == 0 }
            publishNote = report.pending == 0
                ? "published: \(report.published) message(s) confirmed by the broker"
                : "\(report.pending) message(s) still in the outbox (\(report.lastError ?? "not confirmed yet")): "
                    + "the relay of any running daemon publishes them"
        }
        if json { try AdminJSON.print(items) } else {
            for item in items { print(item.line) }
            if let publishNote { print(publishNote) }
        }
        return items
    }
}
