import ArgumentParser
import Foundation
import JobRuntime
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
        let items = try await DeadLetterReplayRun(targets: targets, database: database).run(
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
        let conditions = filter.conditions
        // One per job: the latest dead letter of each job that is still dead.
        return try await database.withConnection { connection in
            try connection.query("""
                SELECT DISTINCT ON (d.job_id) d.id, d.job_id
                FROM dead_letters d JOIN jobs j ON j.id = d.job_id
                WHERE j.state = 'dead' AND \(conditions)
                ORDER BY d.job_id, d.id DESC
                """).map { try $0.decode((Int64, UUID?).self) }
                .sorted { $0.0 < $1.0 }
        }
    }
}

/// The dry run, confirmation, rate-limited replay and publish that `dlq replay` and
/// `jobs retry` share.
struct DeadLetterReplayRun {
    var targets: [(deadLetter: Int64?, job: UUID?)]
    var database: PostgresClient

    init(targets: [(deadLetter: Int64, job: UUID?)], database: PostgresClient) {
        self.targets = targets.map { (Optional($0.deadLetter), $0.job) }
        self.database = database
    }

    init(jobs: [UUID], database: PostgresClient) {
        self.targets = jobs.map { (nil, Optional($0)) }
        self.database = database
    }

    func run(
        dryRun: Bool, confirm: Bool, rate: Double, publishTimeout: Double, settings: DaemonSettings, json: Bool, noun: String
    ) async throws -> [ReplayItem] {
        let planned: [ReplayItem]
        do {
            planned = try await replayAll(dryRun: true, rate: nil)
        } catch {
            AdminFailure.handle(error)
        }
        let counts = Dictionary(grouping: planned, by: \.result).mapValues(\.count)
        let summary = "dry run: \(targets.count) \(noun)(s) selected: \(counts["replayed", default: 0]) would be replayed, "
            + "\(counts["skipped", default: 0]) skipped, \(counts["refused", default: 0]) refused"
        let replayable = counts["replayed", default: 0]
        if replayable == 0, !dryRun {
            // Nothing would change: the dry run's answers are the results.
            if json { try AdminJSON.print(planned) } else {
                print("nothing to replay: \(targets.count) \(noun)(s) selected, \(counts["skipped", default: 0]) skipped, "
                    + "\(counts["refused", default: 0]) refused")
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
        if confirm, !Confirmation.ask("Replay \(replayable) \(noun)(s)?") {
            AdminFailure.fail("not confirmed: nothing was replayed", code: 1)
        }
        var items: [ReplayItem]
        do {
            items = try await replayAll(dryRun: false, rate: rate)
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

    private func replayAll(dryRun: Bool, rate: Double?) async throws -> [ReplayItem] {
        var items: [ReplayItem] = []
        let clock = ContinuousClock()
        var next = clock.now
        for target in targets {
            guard let job = target.job else {
                items.append(ReplayItem(deadLetter: target.deadLetter, job: nil, result: "refused",
                                        detail: "the message named no job of this database (malformed): purge it instead"))
                continue
            }
            if let rate {
                try await Task.sleep(until: next, clock: clock)
                next = next.advanced(by: .milliseconds(Int64(1000 / rate)))
            }
            let replay = JobReplay(jobID: job, deadLetterID: target.deadLetter)
            let result = try await database.withConnection { try replay.run(dryRun: dryRun, on: $0) }
            items.append(ReplayItem(
                deadLetter: target.deadLetter, job: job, result: result.outcome.name, detail: result.outcome.detail,
                messageId: result.messageID))
        }
        return items
    }
}
