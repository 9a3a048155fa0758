import ArgumentParser
import Foundation
import Operations
import Postgres
import Settings

/// `itp-admin audit`: the operator audit, newest first — every replay, purge and retry from the
/// console or from itp-admin, with who, when, what was selected, the dry run shown and the result.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Print the operator audit (console and itp-admin actions), newest first.")

    @OptionGroup var options: DaemonOptions
    @Option(help: "At most this many entries.") var limit = 50
    @Flag(help: "Print JSON for scripts.") var json = false

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
    }

    func run() throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin audit")
        let connection = try AdminConnection.postgres(settings)
        defer { connection.close() }
        let limit = limit
        let entries = try AdminFailure.report { try AuditLog.list(limit: limit, on: connection) }
        if json {
            try AdminJSON.print(entries)
            return
        }
        print("ID\tAT\tACTOR\tACTION\tSTATE\tTOTAL\tSUCCEEDED\tSKIPPED\tREFUSED\tSELECTION\tDRY RUN\tRESULT")
        for entry in entries {
            print([String(entry.id), entry.at.formatted(.iso8601), "\(entry.actor) (\(entry.surface))", entry.action, entry.state,
                   String(entry.total), String(entry.succeeded), String(entry.skipped), String(entry.refused), entry.selection,
                   entry.dryRun ?? "", entry.result ?? ""].joined(separator: "\t"))
        }
    }
}
