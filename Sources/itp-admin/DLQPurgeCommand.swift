import ArgumentParser
import Foundation
import Operations
import Postgres
import Settings

struct DLQPurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete dead-letter records (by id, by filter, or --all), after a confirmation unless --yes.",
        discussion: """
            Only the records in dead_letters are deleted; the jobs keep their state, attempts and \
            errors. The count is printed first; without --yes a confirmation is read from stdin.

            Exit codes: 0 purged (or nothing matched); 1 not confirmed; 64 bad usage; 69 the database is unreachable.
            """)

    @OptionGroup var options: DaemonOptions
    @Argument(help: "Dead letter ids (from dlq list).") var ids: [Int64] = []
    @OptionGroup var filter: DeadLetterFilter
    @Flag(help: "Purge every dead letter.") var all = false
    @Flag(help: "Only print how many would be purged.") var dryRun = false
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func validate() throws {
        guard !ids.isEmpty || all || !filter.isEmpty else { throw ValidationError("name dead letter ids, filters (see --help) or --all") }
        guard ids.isEmpty || (filter.isEmpty && !all) else { throw ValidationError("give ids, or filters/--all, not both") }
    }

    func run() throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin dlq purge")
        let connection = try AdminConnection.postgres(settings)
        defer { connection.close() }
        let scope: DeadLetterPurge.Scope = ids.isEmpty ? .selection(filter.selection) : .ids(ids)
        let count = try AdminFailure.report { try DeadLetterPurge.count(scope, on: connection) }
        print("\(count) dead letter(s) match")
        guard count > 0, !dryRun else { return }
        if !yes, !Confirmation.ask("Purge \(count) dead letter record(s)?") {
            AdminFailure.fail("not confirmed: nothing was purged", code: 1)
        }
        // The delete and its audit row commit together (the console purges the same way).
        let purged = try AdminFailure.report {
            try DeadLetterPurge.run(scope, shown: count, actor: AdminActor.current, on: connection).purged
        }
        print("purged \(purged) dead letter(s)")
    }
}
