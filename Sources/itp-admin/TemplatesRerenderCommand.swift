import ArgumentParser
import Foundation
import Mockups
import Postgres
import Settings

/// `itp-admin templates rerender [--template ID] [--dry-run]`: after a template's `version`
/// was bumped in the manifest, re-renders the active mockups of `ready_for_sale` products
/// that were made from an older version (see ``MockupRerender``).
struct TemplatesRerenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerender",
        abstract: "Re-render the live mockups made from an older version of a template than the manifest's.",
        discussion: """
            Lists every active mockup of a ready_for_sale product whose template_info records an older \
            template_version than the catalogue declares for its template_id (--template narrows it to \
            one template). Without --dry-run each gets a new mockup job for the product's current \
            selection, one transaction each, through the outbox; itp-admin then runs the outbox relay \
            until the broker confirms the messages (--publish-timeout), and any daemon's relay \
            publishes what is left. The product stays ready_for_sale with its old images: each new \
            mockup replaces the old one in the transaction that activates it. Running it again while \
            jobs are waiting adds nothing.

            Exit codes: 0 done (or nothing to do); 1 messages not confirmed yet; 64 bad usage (an \
            unknown --template); 69 the database is unreachable.
            """ + "\n\n" + DaemonSettings.helpSection([.templatesDirectory]))

    @OptionGroup var options: DaemonOptions
    @Option(setting: .templatesDirectory) var templatesDirectory: String?
    @Option(name: .customLong("template"), help: "Only mockups of this template id.") var templateID: String?
    @Flag(help: "Only list what would be re-rendered.") var dryRun = false
    @Option(help: "Seconds to wait for the broker to confirm the new jobs' messages.") var publishTimeout: Double = 30
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() async throws {
        let settings = try DaemonBoot.settings(options, daemon: "itp-admin templates rerender")
        let directory = Setting.templatesDirectory.raw(flag: templatesDirectory, in: settings.source) ?? "templates"
        let catalog: TemplateCatalog
        do {
            catalog = try TemplateCatalog(directory: directory)
        } catch {
            AdminFailure.fail("manifest: \(error)", code: 1)
        }
        let versions = MockupRerender.currentVersions(catalog)
        if let templateID, versions[templateID] == nil {
            AdminFailure.fail("template '\(templateID)' is not in \(directory)/\(TemplateCatalog.manifestFileName)", code: 64)
        }
        let rerender = MockupRerender(versions: versions, templateID: templateID)
        let database = AdminConnection.client(settings)
        var items: [MockupRerender.Item]
        do {
            items = try await database.withConnection { try rerender.stale(on: $0) }
            if !dryRun {
                for index in items.indices {
                    let item = items[index]
                    items[index] = try await database.withTransaction { try rerender.enqueue(item, on: $0) }
                }
            }
        } catch {
            AdminFailure.handle(error)
        }
        let messageIDs = items.compactMap(\.messageID)
        var note = dryRun ? "dry run: \(items.count) mockup(s) to re-render" : "\(messageIDs.count) mockup job(s) enqueued"
        var unconfirmed = false
        if !messageIDs.isEmpty {
            let report = await OutboxFlush.publish(
                messageIDs, settings: settings, database: database, timeout: .milliseconds(Int64(publishTimeout * 1000)))
            unconfirmed = report.pending > 0
            note += report.pending == 0
                ? "; published: \(report.published) message(s) confirmed by the broker"
                : "; \(report.pending) message(s) still in the outbox (\(report.lastError ?? "not confirmed yet")): the relay of any running daemon publishes them"
        }
        await database.shutdown()
        if json {
            try AdminJSON.print(items)
        } else {
            for item in items { print(item.line) }
            print(note)
        }
        if unconfirmed { throw ExitCode(1) }
    }
}
