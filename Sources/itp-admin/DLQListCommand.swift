import ArgumentParser
import Foundation
import Operations
import Settings

struct DLQListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded dead letters, oldest first, with their job's state now.",
        discussion: "Exit codes: 0 success (also when none match); 69 the database is unreachable.")

    @OptionGroup var options: DaemonOptions
    @OptionGroup var filter: DeadLetterFilter
    @Option(help: "At most this many.") var limit = 200
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin dlq list")
        let connection = try AdminConnection.postgres(settings)
        defer { connection.close() }
        let letters = try AdminFailure.report { try DeadLetterSummary.select(filter, limit: max(0, limit), on: connection) }
        if json {
            try AdminJSON.print(letters)
            return
        }
        var table = Table("ID", "DEAD-LETTERED", "QUEUE", "KIND", "CLASS", "STAGE", "JOB", "REPLAYS", "PRODUCT", "REASON")
        for letter in letters {
            table.add([
                "\(letter.id)", Timestamp.format(letter.deadLetteredAt), letter.originalQueue, letter.jobKind ?? "-",
                letter.errorClass ?? "-", letter.failureStage ?? "-", letter.jobState ?? "no job", "\(letter.replayCount)",
                letter.productId.map { String($0.uuidString.lowercased().prefix(8)) } ?? "-", String(letter.reason.prefix(100)),
            ])
        }
        print(table.render())
        print("\(letters.count) dead letter(s)")
    }
}

enum Timestamp {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
