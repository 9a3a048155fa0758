import ProductFlow
import Foundation
import Hummingbird
import Vocabulary
import WebPages

/// The library's pages: "save to library" on a product page, the library page, and "use
/// this design on…". They run the library's own operations (``LibraryRoutes/saveDesign``,
/// ``LibraryRoutes/putOnProducts``) as the user's shop; another shop's design is 404.
extension BuilderRoutes {
    /// `POST /ui/products/{id}/library` `name`, `tags` (comma-separated): then the library page says it was saved.
    func saveToLibrary(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        let form = try await FormBody.read(request, limit: formLimit)
        try form.requireCSRF(user.csrfToken)
        let id = try productID(context)
        let typed = ProductPageModel.LibraryForm(name: form["name"] ?? "", tags: form["tags"] ?? "")
        do {
            if let wait = buckets.take(user.userID) { throw APIProblem.rateLimited(retryAfter: wait) }
            let name = try SaveDesignRequest.name(typed.name)
            let tags = try SaveDesignRequest.tags(typed.tags.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            let view = try await library.saveDesign(caller: user.caller, productID: id, name: name, tags: tags, context: context)
            return Self.redirect("/ui/library?saved=\(view.id.uuidString.lowercased())")
        } catch let problem as APIProblem where problem.status != .notFound {
            let message = try await message(for: problem, owner: user.ownerID, price: 0)
            return try await productPage(.product, request, context: context, flash: .error(message), libraryForm: typed, status: problem.status)
        }
    }

    /// `GET /ui/library`: the shop's designs, each with "use this design on…".
    func library(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        let saved = request.uri.queryParameters["saved"].flatMap { UUID(uuidString: String($0)) }
        return try pages.page("library", try await LibraryPageModel.load(
            user: user, catalog: catalog, saved: saved, flash: nil, database: database))
    }

    /// `POST /ui/library/{id}/products` `garment` (repeated `type:colour`), `idempotency_key`:
    /// one product per ticked garment, answered per garment. The same form sent twice makes nothing twice.
    func useDesign(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        let form = try await FormBody.read(request, limit: formLimit)
        try form.requireCSRF(user.csrfToken)
        let id = try productID(context)
        guard let design = try await database.withConnection({ try LibraryDesignView.load(id, caller: user.caller, on: $0) }) else {
            throw PageProblem.shopNotFound
        }
        let items = form.all("garment").compactMap { value -> LibraryBatchRequest.Item? in
            let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
            return parts.count == 2 ? LibraryBatchRequest.Item(productType: parts[0], shirtColor: parts[1]) : nil
        }
        do {
            if let wait = buckets.take(user.userID) { throw APIProblem.rateLimited(retryAfter: wait) }
            guard (1...LibraryBatchRequest.maxItems).contains(items.count) else {
                throw APIProblem.validation("tick 1 to \(LibraryBatchRequest.maxItems) garments", field: "items")
            }
            let key = form["idempotency_key"].flatMap { (16...255).contains($0.count) ? "ui:" + $0 : nil }
            let outcome = try await library.putOnProducts(
                caller: user.caller, designID: id, version: nil, items: items, idempotencyKey: key, context: context)
            let (json, replayed) = switch outcome {
            case .created(let result): (String(decoding: try JSONResponse.encoder.encode(result), as: UTF8.self), false)
            case .replayed(let json): (json, true)
            }
            let balance = try await database.withConnection { try Credits.balance(owner: user.ownerID, on: $0) }
            return try pages.page("library_result", try LibraryBatchPageModel(
                json: json, replayed: replayed, designName: design.name, user: UserBar(user: user, balance: balance)))
        } catch let problem as APIProblem where problem.status != .notFound {
            let message = try await message(for: problem, owner: user.ownerID, price: prices.library)
            var response = try pages.page("library", try await LibraryPageModel.load(
                user: user, catalog: catalog, saved: nil, flash: .error(message), database: database), status: problem.status)
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }
}
