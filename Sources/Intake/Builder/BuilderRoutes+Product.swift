import Foundation
import Hummingbird
import WebPages
import Postgres
import ProductFlow
import Vocabulary

extension BuilderRoutes {
    func product(_ request: Request, context: Context) async throws -> Response {
        try await productPage(.product, request, context: context)
    }

    func designs(_ request: Request, context: Context) async throws -> Response {
        try await productPage(.designs, request, context: context)
    }

    func productPage(
        _ page: ProductPageModel.Page, _ request: Request, context: Context, flash: Flash? = nil, feedback: String = "",
        libraryForm: ProductPageModel.LibraryForm = .init(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        guard var model = try await ProductPageModel.load(
            try productID(context), page: page, user: user, regeneratePrice: prices.regenerate, database: database)
        else { throw PageProblem.shopNotFound }
        model.flash = flash
        model.feedback = feedback
        model.libraryForm = libraryForm
        let (full, fragment) = page == .product ? ("product", "product_live") : ("designs", "designs_live")
        // The page's script asks for the live region only (`X-Fragment: live`); `X-Live` says
        // whether it still changes by itself.
        if request.headers[.fragment] == "live" {
            return try pages.page(fragment, model, headers: [.live: model.live])
        }
        return try pages.page(full, model, status: status)
    }

    /// `POST /ui/products/{id}/selection`: a ready product asks first (re-selection takes it off
    /// sale while the new mockups are made), any other selectable one goes straight on.
    func select(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        let form = try await FormBody.read(request, limit: formLimit)
        try form.requireCSRF(user.csrfToken)
        let id = try productID(context)
        guard let asset = form["asset_id"].flatMap(UUID.init(uuidString:)) else {
            return try await productPage(.designs, request, context: context, flash: .error("Choose one of the designs."), status: .badRequest)
        }
        do {
            if let wait = buckets.take(user.userID) { throw APIProblem.rateLimited(retryAfter: wait) }
            if form["confirm"] != "yes", let confirmation = try await confirmation(product: id, asset: asset, user: user) {
                return try pages.page("confirm_selection", confirmation)
            }
            let accepted = try await ProductSelection(caller: user.caller, productID: id, assetID: asset).run(on: database)
            context.logger.info("design selected", metadata: [
                LogKey.productID: "\(id)", LogKey.assetID: "\(asset)", LogKey.selectionVersion: "\(accepted.selectionVersion ?? 0)",
                LogKey.userID: "\(user.userID)",
            ])
            return Self.redirect("/ui/products/\(id.uuidString.lowercased())")
        } catch let problem as APIProblem where problem.status != .notFound {
            let message = try await message(for: problem, owner: user.ownerID, price: 0)
            return try await productPage(.designs, request, context: context, flash: .error(message), status: problem.status)
        }
    }

    /// `POST /ui/products/{id}/regenerate`: new designs from the user's feedback.
    func regenerate(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        let form = try await FormBody.read(request, limit: formLimit)
        try form.requireCSRF(user.csrfToken)
        let id = try productID(context)
        let feedback = form["feedback"] ?? ""
        do {
            if let wait = buckets.take(user.userID) { throw APIProblem.rateLimited(retryAfter: wait) }
            let text = try TextField.validate(feedback, field: "feedback")
            _ = try await ProductRegeneration(caller: user.caller, productID: id, feedback: text, price: prices.regenerate).run(on: database)
            return Self.redirect("/ui/products/\(id.uuidString.lowercased())")
        } catch let problem as APIProblem where problem.status != .notFound {
            let message = try await message(for: problem, owner: user.ownerID, price: prices.regenerate)
            return try await productPage(.product, request, context: context, flash: .error(message), feedback: feedback, status: problem.status)
        }
    }

    /// The confirmation page's model when `asset` would replace the design of a ready product;
    /// nil when no confirmation is needed (not ready, or the asset is already the selected one).
    private func confirmation(product: UUID, asset: UUID, user: ShopUser) async throws -> ConfirmSelectionModel? {
        let owner = user.ownerID
        return try await database.withConnection { connection -> ConfirmSelectionModel? in
            guard let row = try connection.query("""
                SELECT p.status::text, p.prompt,
                       (SELECT a.is_primary_design FROM product_assets a
                         WHERE a.id = \(asset) AND a.product_id = p.id AND a.asset_role = 'design') AS primary_design
                FROM products p WHERE p.id = \(product) AND p.owner_id = \(owner)
                """).first else { throw PageProblem.shopNotFound }
            guard try ProductStatusColumn.decode(row) == .readyForSale,
                  try row.decode(Bool?.self, column: "primary_design") == false else { return nil }
            let prompt = try row.decode(String.self, column: "prompt")
            return ConfirmSelectionModel(
                user: UserBar(user: user, balance: try Credits.balance(owner: owner, on: connection)), id: product.uuidString.lowercased(),
                assetID: asset.uuidString.lowercased(), csrfToken: user.csrfToken, title: PageText.title(prompt),
                thumbURL: ProductPageModel.thumbnail(asset, width: .w256), alt: "The design you chose for “\(PageText.title(prompt))”")
        }
    }

    func productID(_ context: Context) throws -> UUID {
        guard let id = try? context.pathID() else { throw PageProblem.shopNotFound }
        return id
    }

    func staticFile(_ request: Request, context: Context) async throws -> Response {
        try pages.staticFile(context.parameters.get("file") ?? "", request: request)
    }
}

/// The page that asks before a ready product's design is replaced.
struct ConfirmSelectionModel: Sendable {
    var user: UserBar
    var id: String
    var assetID: String
    var csrfToken: String
    var title: String
    var thumbURL: String
    var alt: String
}
