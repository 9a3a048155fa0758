import AssetImages
import Foundation
import HTTPTypes
import Hummingbird
import Operations
import Postgres
import ProductFlow
import Vocabulary
import WebPages

/// `/products/{id}` and `/jobs/{id}`: what `itp-admin products show` prints (``ProductDetail``)
/// with a thumbnail of every stored image (inactive and archived ones too, marked), and one job
/// with every attempt. From a product's page its dead mockup jobs can be retried (the same
/// replay and audit as the dead-letter list) and the product cancelled (``ProductCancellation``,
/// the code of the shop API's cancel, audited in its transaction).
extension ConsoleRoutes {
    func product(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let detail = try await database.withConnection({ try ProductDetail.load(id, on: $0) }) else { throw PageProblem.notFound }
        struct Asset {
            var id: String; var role: String; var variant: String; var iteration: String; var flags: String; var inactive: Bool; var status: String
            var size: String; var dpi: String; var thumbnail: String?
        }
        struct Job { var id: String; var kind: String; var state: String; var attempts: Int; var selection: String; var error: String }
        struct Entry { var at: String; var kind: String; var amount: Int64; var note: String }
        struct Model {
            var bar: OperatorBar
            var id: String
            var status: String
            var failure: String?
            var owner: String
            var garment: String
            var prompt: String
            var source: String
            var iteration: Int
            var selection: Int
            var assets: [Asset]
            var jobs: [Job]
            var ledger: [Entry]
            var deadMockups: Int
            var canRetry: Bool
            var canCancel: Bool
            var flash: String?
            var csrfToken: String
        }
        let showThumbnails = images != nil
        let deadMockups = detail.jobs.filter { $0.state == "dead" && $0.kind.hasPrefix("mockup.") }.count
        let model = Model(
            bar: OperatorBar(signedIn), id: ConsoleText.id(detail.id), status: detail.status, failure: detail.failureReason.flatMap { $0.isEmpty ? nil : $0 },
            owner: detail.owner, garment: "\(detail.shirtColor) \(detail.productType)", prompt: detail.prompt, source: detail.sourceDescription,
            iteration: detail.iteration,
            selection: detail.selectionVersion,
            assets: detail.assets.map { asset in
                var flags: [String] = []
                if asset.isPrimaryDesign { flags.append("primary") }
                if asset.isActive { flags.append("active") }
                if asset.pendingSelection { flags.append("pending selection") }
                if asset.archivedAt != nil { flags.append("archived") }
                if asset.sharedBlob { flags.append("shared blob") }
                let stored = asset.storageKey != nil && asset.generationStatus == "succeeded" && asset.width != nil
                return Asset(
                    id: ConsoleText.id(asset.id), role: asset.role, variant: asset.variant ?? "", iteration: asset.iteration.map(String.init) ?? "",
                    flags: flags.joined(separator: ", "), inactive: !asset.isActive,
                    status: asset.generationStatus + (asset.errorStatus.map { " (\($0): \(asset.errorMessage ?? ""))" } ?? ""),
                    size: asset.width.map { "\($0)×\(asset.height ?? 0)" } ?? "",
                    dpi: asset.effectiveDpi.map { "\($0)" + (asset.printQuality.map { " (\($0))" } ?? "") } ?? "",
                    thumbnail: showThumbnails && stored ? "/assets/\(ConsoleText.id(asset.id))/thumbnail" : nil)
            },
            jobs: detail.jobs.map {
                Job(id: ConsoleText.id($0.id), kind: $0.kind, state: $0.state, attempts: $0.attempts,
                    selection: $0.selectionVersion.map(String.init) ?? "", error: ConsoleText.short($0.lastError ?? ""))
            },
            ledger: detail.ledger.map { Entry(at: ConsoleText.time($0.createdAt), kind: $0.kind, amount: $0.amount, note: $0.note ?? "") },
            deadMockups: deadMockups, canRetry: !signedIn.readOnly && deadMockups > 0,
            canCancel: !signedIn.readOnly && ProductStatus(rawValue: detail.status)?.canTransition(to: .cancelled) == true,
            flash: request.uri.queryParameters["notice"].map(String.init), csrfToken: signedIn.csrfToken)
        return try pages.page("product", model)
    }

    /// Replays the product's dead mockup jobs now (a handful: no background needed), audited per item.
    func retryDeadMockups(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let signedIn = try requireActor(request, context, form: form)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageProblem.notFound }
        let targets = try await database.withConnection { connection in
            try connection.query("""
                SELECT j.id AS job, (SELECT max(d.id) FROM dead_letters d WHERE d.job_id = j.id) AS dead_letter
                FROM jobs j WHERE j.product_id = \(id) AND j.state = 'dead' AND j.kind LIKE 'mockup.%' ORDER BY j.created_at
                """).map { ReplayTarget(deadLetter: try $0.decode(Int64?.self, column: "dead_letter"), job: try $0.decode(UUID.self, column: "job")) }
        }
        guard !targets.isEmpty else { return PageTemplates.redirect("/products/\(ConsoleText.id(id))") }
        let batch = ReplayBatch(targets: targets)
        let dryRun = ReplayBatch.summary(try await batch.plan(database: database))
        let actor = signedIn.actor, selection = "{\"product\":\"\(ConsoleText.id(id))\",\"dead_mockups\":true}"
        let auditID = try await database.withTransaction { connection in
            try AuditLog.begin(actor, action: "product.retry_mockups", selection: selection, dryRun: dryRun.json, total: targets.count, rate: nil, on: connection)
        }
        let items = try await batch.run(rate: 1000, auditID: auditID, database: database)
        try await database.withConnection { try AuditLog.finish(auditID, failed: false, result: ReplayBatch.resultNote(items), on: $0) }
        context.logger.info("dead mockups retried", metadata: [LogKey.auditID: "\(auditID)", LogKey.productID: "\(id)"])
        return PageTemplates.redirect("/actions/\(auditID)")
    }

    /// Cancels the product as its shop's `POST /v1/products/{id}/cancel` would, with the audit
    /// row in the same transaction; the form must say it means it (`confirm`).
    func cancelProduct(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let signedIn = try requireActor(request, context, form: form)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageProblem.notFound }
        guard form["confirm"] == "1" else {
            throw PageProblem(status: .badRequest, heading: "Not confirmed", message: "Tick the box that says you mean to cancel the product.")
        }
        let actor = signedIn.actor, selection = "{\"product\":\"\(ConsoleText.id(id))\"}"
        let (jobs, credits, auditID) = try await database.withTransaction { connection -> (Int, Int, Int64) in
            switch try ProductCancellation.cancel(id, on: connection) {
            case .cancelled(let jobs, let credits):
                let auditID = try AuditLog.record(
                    actor, action: "product.cancel", selection: selection,
                    result: "cancelled; \(jobs) job(s) cancelled, \(credits) credit(s) refunded", counts: AuditLog.Counts(succeeded: 1),
                    on: connection)
                return (jobs, credits, auditID)
            case .notFound:
                throw PageProblem.notFound
            case .failed:
                throw PageProblem(status: .conflict, heading: "Not cancelled", message: "The product has failed: there is nothing to cancel.")
            case .refused(let current):
                throw PageProblem(status: .conflict, heading: "Not cancelled", message: "A \(current.rawValue) product cannot be cancelled.")
            }
        }
        context.logger.info("product cancelled", metadata: [LogKey.auditID: "\(auditID)", LogKey.productID: "\(id)"])
        let notice = "Cancelled: \(jobs) job(s) cancelled, \(credits) credit(s) refunded."
        return PageTemplates.redirect("/products/\(ConsoleText.id(id))?notice=" + (notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    /// A 256-pixel thumbnail of any stored image of any product (inactive and archived ones
    /// too: an operator inspects what the shop no longer sees), made once and kept in asset
    /// storage as the intake's are.
    func thumbnail(_ request: Request, context: Context) async throws -> Response {
        _ = try requireOperator(request, context)
        guard let images, let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageProblem.notFound }
        guard let stored = try await database.withConnection({ connection -> StoredImage? in
            try connection.query("""
                SELECT storage_key, content_type, sha256, width FROM product_assets
                WHERE id = \(id) AND generation_status = 'succeeded' AND storage_key IS NOT NULL AND width IS NOT NULL
                """).first.map { row in
                StoredImage(
                    storageKey: try row.decode(String.self, column: "storage_key"), contentType: try row.decode(String.self, column: "content_type"),
                    sha256: Array(try row.decode(Data.self, column: "sha256")), width: try row.decode(Int.self, column: "width"))
            }
        }) else { throw PageProblem.notFound }
        let served: ServedImage
        do {
            served = try await images.image(stored, width: .w256)
        } catch {
            context.logger.warning("thumbnail failed", metadata: [LogKey.error: "\(error)"])
            throw PageProblem.notFound
        }
        var headers = HTTPFields()
        headers[.contentType] = served.contentType
        headers[.cacheControl] = "private, max-age=3600"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: served.bytes)))
    }

    func job(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try requireOperator(request, context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageProblem.notFound }
        guard let (job, attempts) = try await database.withConnection({ connection -> (JobView, [JobAttemptView])? in
            guard let job = try JobView.find(id, on: connection) else { return nil }
            return (job, try JobAttemptView.all(job: id, on: connection))
        }) else { throw PageProblem.notFound }
        struct Attempt { var attempt: Int; var worker: String; var at: String; var outcome: String; var errorClass: String; var stage: String; var error: String }
        struct Model {
            var bar: OperatorBar
            var id: String
            var kind: String
            var queue: String
            var state: String
            var product: String?
            var attempts: String
            var lastError: String
            var created: String
            var attemptRows: [Attempt]
        }
        let model = Model(
            bar: OperatorBar(signedIn), id: ConsoleText.id(job.id), kind: job.kind, queue: job.queue, state: job.state,
            product: job.productId.map { ConsoleText.id($0) }, attempts: "\(job.attempts) of \(job.maxAttempts)", lastError: job.lastError ?? "",
            created: ConsoleText.time(job.createdAt),
            attemptRows: attempts.map {
                Attempt(attempt: $0.attempt, worker: $0.worker ?? "", at: ConsoleText.time($0.startedAt), outcome: $0.outcome ?? "running",
                        errorClass: $0.errorClass ?? "", stage: $0.failureStage ?? "", error: $0.errorMessage ?? "")
            })
        return try pages.page("job", model)
    }
}
