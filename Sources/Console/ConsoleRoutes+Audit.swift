import Foundation
import Hummingbird
import Operations
import Postgres
import WebPages

/// `/actions/{id}`: one audited action with live progress while it runs (the page refreshes
/// itself until it ends) and its per-item result table; `/audit`: every action, newest first.
extension ConsoleRoutes {
    struct AuditLine {
        var id: Int64
        var at: String
        var actor: String
        var surface: String
        var action: String
        var selection: String
        var dryRun: String?
        var state: String
        var total: Int
        var succeeded: Int
        var skipped: Int
        var refused: Int
        var result: String?

        init(_ entry: AuditEntry) {
            id = entry.id
            at = ConsoleText.time(entry.at)
            actor = entry.actor
            surface = entry.surface
            action = entry.action
            selection = entry.selection
            dryRun = entry.dryRun
            state = entry.state
            total = entry.total
            succeeded = entry.succeeded
            skipped = entry.skipped
            refused = entry.refused
            result = entry.result
        }
    }

    func action(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw PageProblem.notFound }
        guard let (entry, items) = try await database.withConnection({ connection -> (AuditEntry, [AuditItem])? in
            guard let entry = try AuditLog.entry(id, on: connection) else { return nil }
            return (entry, try AuditLog.items(id, on: connection))
        }) else { throw PageProblem.notFound }
        struct Item { var position: Int; var deadLetter: String?; var job: String; var result: String; var detail: String }
        struct Model {
            var bar: OperatorBar
            var entry: AuditLine
            var running: Bool
            var done: Int
            var percent: Int
            var items: [Item]
            var hasItems: Bool
            /// The audit's result, unless it only says the counts the page shows already.
            var note: String?
        }
        let done = entry.done
        let countsOnly = ReplayBatch.resultNote(replayed: entry.succeeded, skipped: entry.skipped, refused: entry.refused)
        let model = Model(
            bar: OperatorBar(signedIn), entry: AuditLine(entry), running: entry.state == "running", done: done,
            percent: entry.total == 0 ? 100 : min(100, done * 100 / entry.total),
            items: items.map {
                Item(position: $0.position + 1, deadLetter: $0.deadLetter.map { String($0) }, job: ConsoleText.id($0.job),
                     result: $0.result, detail: $0.detail)
            }, hasItems: !items.isEmpty, note: entry.result.flatMap { $0.isEmpty || $0 == countsOnly ? nil : $0 })
        return try pages.page("action", model)
    }

    func audit(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries = try await database.withConnection { try AuditLog.list(limit: 51, before: before, on: $0) }
        struct Model { var bar: OperatorBar; var entries: [AuditLine]; var hasEntries: Bool; var nextLink: String? }
        let shown = Array(entries.prefix(50))
        return try pages.page("audit", Model(
            bar: OperatorBar(signedIn), entries: shown.map(AuditLine.init), hasEntries: !shown.isEmpty,
            nextLink: entries.count > 50 ? shown.last.map { "/audit?before=\($0.id)" } : nil))
    }
}
