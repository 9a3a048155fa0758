import ArgumentParser
import Foundation
import Logging
import Postgres
import Schema
import Settings

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations/*.sql in order under an advisory lock; a second run is a no-op.",
        discussion: """
            Each file runs in its own transaction and is recorded in schema_migrations with its
            checksum. A failing file is rolled back and the error names the file, the statement
            number and its line. Editing an applied file is refused: add a new file instead.
            """ + "\n\n" + DaemonSettings.helpSection([.migrationsDirectory]))

    @OptionGroup var options: DaemonOptions

    @Option(setting: .migrationsDirectory)
    var migrationsDirectory: String?

    @Flag(name: .customLong("status"), help: "Only list the migrations and whether each is applied.")
    var statusOnly = false

    func run() throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin migrate")
        let directory = try DaemonBoot.check("itp-admin migrate") {
            try MigrationsDirectory.resolve(flag: migrationsDirectory, source: settings.source)
        }
        let files = try AdminFailure.report { try MigrationFile.load(from: directory) }
        let connection = try AdminConnection.postgres(settings)
        defer { connection.close() }
        let migrator = Migrator(files: files, logger: Logger(label: "itp-admin"))
        if statusOnly {
            for entry in try AdminFailure.report({ try migrator.status(on: connection) }) {
                print("\(entry.applied ? "applied" : "pending")  \(entry.file.name)")
            }
            return
        }
        let report = try AdminFailure.report { try migrator.migrate(on: connection) }
        print("migrations from \(directory.path):")
        for line in report.summary { print("  \(line)") }
    }
}
