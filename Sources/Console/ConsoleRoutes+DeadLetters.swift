import Foundation
import Hummingbird
import Operations
import Postgres
import Vocabulary
import WebPages

/// `/dead-letters`: the filtered list (a page at a time, "all N that match" across pages), one
/// dead letter's detail, and the entry to bulk replay and purge.
extension ConsoleRoutes {
    struct ListModel {
        struct Row {
            var id: Int64
            var queue: String
            var kind: String
            var errorClass: String
            var stage: String
            var reason: String
            var job: String
            var jobState: String
            var product: String
            var at: String
            var replays: Int
        }

        struct Field { var name: String; var value: String }
        struct Option { var value: String; var selected: Bool }

        var bar: OperatorBar
        var flash: String?
        var rows: [Row]
        var matching: Int
        var shown: Int
        var hasRows: Bool
        var filter: [Field]
        var queue: String
        var kind: String
        var stage: String
        var since: String
        var until: String
        var product: String
        var q: String
        var unresolved: Bool
        var errorClasses: [Option]
        var nextLink: String?
        var firstLink: String?
        var canAct: Bool
        var csrfToken: String
    }

    func deadLetters(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        // Read as a form: a browser's GET form sends spaces as `+`.
        let parameters = FormBody(encoded: request.uri.query ?? "")
        let selection = try DeadLetterSelection(fields: { parameters[$0] })
        let before = parameters["before"].flatMap { Int64($0) }
        let limit = pageSize
        let (page, matching) = try await database.withConnection { connection in
            try DeadLetterList.pageAndCount(selection, before: before, limit: limit, on: connection)
        }
        let query = selection.queryString
        let rows = page.rows.map { row in
            ListModel.Row(
                id: row.id, queue: row.queue, kind: row.kind ?? "", errorClass: row.errorClass ?? "", stage: row.stage ?? "",
                reason: ConsoleText.short(row.reason), job: ConsoleText.id(row.jobID), jobState: row.jobState ?? "",
                product: ConsoleText.id(row.productID), at: ConsoleText.time(row.deadLetteredAt), replays: row.replayCount)
        }
        let model = ListModel(
            bar: OperatorBar(signedIn), flash: parameters["notice"], rows: rows, matching: matching, shown: rows.count,
            hasRows: !rows.isEmpty, filter: selection.fields.map { ListModel.Field(name: $0.name, value: $0.value) },
            queue: selection.queue ?? "", kind: selection.kind ?? "", stage: selection.stage ?? "", since: selection.since ?? "",
            until: selection.until ?? "", product: ConsoleText.id(selection.product), q: selection.text ?? "", unresolved: selection.unresolved,
            errorClasses: ["rate_limited", "transient", "permanent"].map { ListModel.Option(value: $0, selected: selection.errorClass == $0) },
            nextLink: page.nextBefore.map { "/dead-letters?" + (query.isEmpty ? "" : query + "&") + "before=\($0)" },
            firstLink: before == nil ? nil : "/dead-letters" + (query.isEmpty ? "" : "?" + query),
            canAct: !signedIn.readOnly, csrfToken: signedIn.csrfToken)
        return try pages.page("dead_letters", model)
    }

    func deadLetter(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw PageProblem.notFound }
        let full = request.uri.queryParameters["full"] != nil
        guard let detail = try await database.withConnection({ try DeadLetterDetail.load(id, on: $0) }) else { throw PageProblem.notFound }
        /// The dead letter's facts as the page names them.
        struct Facts {
            var id: Int64; var queue: String; var originalQueue: String?; var kind: String; var reason: String; var errorClass: String
            var stage: String; var headers: String; var jobState: String?; var jobAttempts: Int?; var replayCount: Int
        }
        struct Model {
            var bar: OperatorBar
            var d: Facts
            var at: String
            var body: String
            var truncated: Bool
            var bodyBytes: Int
            var job: String?
            var product: String?
            var attempts: [Attempt]
            var canAct: Bool
            var csrfToken: String
        }
        struct Attempt { var attempt: Int; var outcome: String; var errorClass: String; var stage: String; var error: String; var at: String }
        let limit = 4096
        let text = String(decoding: detail.body.prefix(full ? detail.body.count : limit), as: UTF8.self)
        let letter = detail.deadLetter
        let facts = Facts(
            id: letter.id, queue: letter.queue, originalQueue: letter.originalQueue == letter.queue ? nil : letter.originalQueue,
            kind: letter.jobKind ?? "", reason: letter.reason, errorClass: letter.errorClass ?? "", stage: letter.failureStage ?? "",
            headers: JSONText.pretty(detail.headers), jobState: letter.jobState, jobAttempts: detail.job?.attempts, replayCount: letter.replayCount)
        let model = Model(
            bar: OperatorBar(signedIn), d: facts, at: ConsoleText.time(letter.deadLetteredAt), body: text,
            truncated: !full && detail.body.count > limit, bodyBytes: detail.body.count, job: letter.jobId.map { ConsoleText.id($0) },
            product: letter.productId.map { ConsoleText.id($0) },
            attempts: detail.attempts.map {
                Attempt(attempt: $0.attempt, outcome: $0.outcome ?? "running", errorClass: $0.errorClass ?? "", stage: $0.failureStage ?? "",
                        error: $0.errorMessage ?? "", at: ConsoleText.time($0.startedAt))
            },
            canAct: !signedIn.readOnly && letter.jobState == "dead", csrfToken: signedIn.csrfToken)
        return try pages.page("dead_letter", model)
    }

    // MARK: Replay

    /// Step 1: the selection (checked ids, or every one that matches the filter) becomes a plan
    /// whose dry run is decided in the background; its page shows the counts when ready.
    func replayPreview(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let signedIn = try requireActor(request, context, form: form)
        let selection = try DeadLetterSelection(fields: { form[$0] })
        let listLink = "/dead-letters" + (selection.queryString.isEmpty ? "" : "?" + selection.queryString)
        let targets: [ReplayTarget], selectionJSON: String
        if form["scope"] == "matching" {
            targets = try await database.withConnection { try DeadLetterList.replayTargets(selection, on: $0) }
            selectionJSON = selection.json
        } else {
            let ids = form.all("id").compactMap(Int64.init)
            guard !ids.isEmpty else { return PageTemplates.redirect(listLink + (listLink.contains("?") ? "&" : "?") + "notice=Nothing+was+selected.") }
            targets = try await database.withConnection { try DeadLetterList.targets(ids: ids, on: $0) }
            selectionJSON = "{\"ids\":[\(ids.map(String.init).joined(separator: ","))]}"
        }
        let planID = await actions.startPlan(operatorName: signedIn.name, selectionJSON: selectionJSON, listLink: listLink, targets: targets)
        return PageTemplates.redirect("/replays/\(planID.uuidString.lowercased())")
    }

    /// Step 2: the dry run (will replay / skipped / refused, with reasons) and the confirmation form.
    func replayPlan(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let plan = await actions.plan(id),
              plan.operatorName == signedIn.name else {
            throw PageProblem(status: .notFound, heading: "No such replay", message: "This preview is unknown or expired. Select the dead letters again.")
        }
        if let auditID = plan.auditID, auditID > 0 { return PageTemplates.redirect("/actions/\(auditID)") }
        struct Reason { var result: String; var detail: String; var count: Int }
        struct Model {
            var bar: OperatorBar
            var id: String
            var deciding: Bool
            var done: Int
            var failed: Bool
            var ready: Bool
            var selected: Int
            var replay: Int
            var skip: Int
            var refuse: Int
            var reasons: [Reason]
            var nothing: Bool
            var rate: String
            var listLink: String
            var csrfToken: String
        }
        var model = Model(
            bar: OperatorBar(signedIn), id: id.uuidString.lowercased(), deciding: false, done: 0, failed: false, ready: false,
            selected: plan.targets.count, replay: 0, skip: 0, refuse: 0, reasons: [], nothing: false, rate: Self.rateText(defaultRate),
            listLink: plan.listLink, csrfToken: signedIn.csrfToken)
        switch plan.state {
        case .deciding(let done):
            model.deciding = true
            model.done = done
        case .failed:
            model.failed = true
        case .ready(let dryRun):
            model.ready = true
            model.replay = dryRun.replay
            model.skip = dryRun.skip
            model.refuse = dryRun.refuse
            model.reasons = dryRun.reasons.map { Reason(result: $0.result, detail: $0.detail, count: $0.count) }
            model.nothing = dryRun.replay == 0
        }
        return try pages.page("replay_plan", model)
    }

    /// Step 3: confirmed; the replay runs in the background and its page shows progress.
    func replayConfirm(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let signedIn = try requireActor(request, context, form: form)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageProblem.notFound }
        guard let rate = form["rate"].flatMap(Double.init), (0.1...1000).contains(rate) else {
            throw PageProblem(status: .badRequest, heading: "Rate not understood", message: "The rate must be a number of replays per second from 0.1 to 1000.")
        }
        guard let auditID = try await actions.confirm(id, actor: signedIn.actor, rate: rate) else {
            if let plan = await actions.plan(id), let auditID = plan.auditID, auditID > 0 { return PageTemplates.redirect("/actions/\(auditID)") }
            throw PageProblem(status: .conflict, heading: "Not started", message: "This replay is not ready, expired, or was started already.")
        }
        return PageTemplates.redirect("/actions/\(auditID)")
    }

    static func rateText(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }

    // MARK: Purge

    /// The purge's count and confirmation form (counting is one query: no background needed).
    func purgePreview(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let signedIn = try requireActor(request, context, form: form)
        let selection = try DeadLetterSelection(fields: { form[$0] })
        let ids = form.all("id").compactMap(Int64.init)
        let matching = form["scope"] == "matching"
        let scope: DeadLetterPurge.Scope = matching ? .selection(selection) : .ids(ids)
        let count = try await database.withConnection { try DeadLetterPurge.count(scope, on: $0) }
        struct Field { var name: String; var value: String }
        struct Model { var bar: OperatorBar; var count: Int; var fields: [Field]; var listLink: String; var csrfToken: String }
        var fields = selection.fields.map { Field(name: $0.name, value: $0.value) }
        fields.append(Field(name: "scope", value: matching ? "matching" : "selected"))
        fields += ids.map { Field(name: "id", value: String($0)) }
        fields.append(Field(name: "shown", value: String(count)))
        let listLink = "/dead-letters" + (selection.queryString.isEmpty ? "" : "?" + selection.queryString)
        return try pages.page("purge_confirm", Model(bar: OperatorBar(signedIn), count: count, fields: fields, listLink: listLink, csrfToken: signedIn.csrfToken))
    }

    func purgeConfirm(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let signedIn = try requireActor(request, context, form: form)
        let selection = try DeadLetterSelection(fields: { form[$0] })
        let scope: DeadLetterPurge.Scope = form["scope"] == "matching" ? .selection(selection) : .ids(form.all("id").compactMap(Int64.init))
        let shown = form["shown"].flatMap(Int.init) ?? 0
        let actor = signedIn.actor
        let (purged, auditID) = try await database.withConnection { try DeadLetterPurge.run(scope, shown: shown, actor: actor, on: $0) }
        context.logger.info("dead letters purged", metadata: [LogKey.auditID: "\(auditID)", LogKey.operatorName: "\(actor.name)"])
        _ = purged
        return PageTemplates.redirect("/actions/\(auditID)")
    }
}
