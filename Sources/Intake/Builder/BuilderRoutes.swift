import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Mockups
import Postgres
import ProductFlow
import Vocabulary
import WebPages

/// The builder's pages under `/ui`: sign-in, the product list, the new-product form, the
/// product and designs pages and their forms. Each form posts, then redirects (303) to the
/// page that shows the result; a refused form is shown again, as typed, with the reason in
/// words. The pages run the same operations as the API (``ProductCreation``,
/// ``ProductSelection``, ``ProductRegeneration``) as the user's shop.
struct BuilderRoutes: Sendable {
    typealias Context = IntakeRequestContext

    let pages: BuilderPages
    let database: PostgresClient
    let catalog: TemplateCatalog
    let maxCandidates: Int
    let prices: IntakeConfiguration.Prices
    let buckets: TokenBuckets
    /// The library's operations, shared with its API (``LibraryRoutes``).
    let library: LibraryRoutes
    let formLimit = 16 * 1024

    // MARK: Sign-in

    func root(_ request: Request, context: Context) async throws -> Response {
        Self.redirect(context.shopUser == nil ? "/ui/sign-in" : "/ui/products")
    }

    func signInForm(_ request: Request, context: Context) async throws -> Response {
        if context.shopUser != nil { return Self.redirect(Self.safeNext(request.uri.queryParameters["next"].map(String.init))) }
        return try signInPage(request, email: "", next: request.uri.queryParameters["next"].map(String.init) ?? "", flash: nil, status: .ok)
    }

    func signIn(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let email = form["email"] ?? "", next = form["next"] ?? ""
        guard let cookie = request.cookies[SessionCookie.signIn]?.value, !cookie.isEmpty else { throw PageProblem.csrf }
        try form.requireCSRF(cookie)
        let outcome = try await SignIn(realm: .shop).attempt(
            login: email, password: form["password"] ?? "", address: context.peerAddress, database: database)
        switch outcome {
        case .signedIn(let token, let session):
            context.logger.info("builder sign-in", metadata: [LogKey.userID: "\(session.accountID)"])
            var headers = HTTPFields()
            headers[.location] = Self.safeNext(next)
            headers.append(HTTPField(name: .setCookie, value: SessionCookie.set(
                SessionCookie.session, value: token.value, maxAge: SessionStore(realm: .shop).lifetimeSeconds, request: request)))
            headers.append(HTTPField(name: .setCookie, value: SessionCookie.clear(SessionCookie.signIn, request: request)))
            return Response(status: .seeOther, headers: headers)
        case .refused:
            return try signInPage(request, email: email, next: next, flash: .error("That e-mail and password do not match an account."),
                                  status: .unauthorized)
        case .throttled(let seconds):
            let minutes = max(1, (seconds + 59) / 60)
            return try signInPage(request, email: email, next: next, flash: .error(
                "Too many failed sign-ins. Try again in \(minutes) minute\(minutes == 1 ? "" : "s")."), status: .tooManyRequests,
                retryAfter: seconds)
        }
    }

    func signOut(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        guard let user = context.shopUser else { return Self.redirect("/ui/sign-in") }
        try form.requireCSRF(user.csrfToken)
        try await database.withConnection { try SessionStore(realm: .shop).delete(token: user.sessionToken, on: $0) }
        var headers = HTTPFields()
        headers[.location] = "/ui/sign-in"
        headers.append(HTTPField(name: .setCookie, value: SessionCookie.clear(SessionCookie.session, request: request)))
        return Response(status: .seeOther, headers: headers)
    }

    private func signInPage(
        _ request: Request, email: String, next: String, flash: Flash?, status: HTTPResponse.Status, retryAfter: Int? = nil
    ) throws -> Response {
        struct Model { var user: UserBar?; var flash: Flash?; var csrfToken: String; var email: String; var next: String }
        let token = request.cookies[SessionCookie.signIn]?.value.nilIfEmpty ?? SecretToken.random().value
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: SessionCookie.set(SessionCookie.signIn, value: token, maxAge: 3600, request: request)))
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return try pages.page("sign_in", Model(user: nil, flash: flash, csrfToken: token, email: email, next: Self.safeNext(next)),
                              status: status, headers: headers)
    }

    // MARK: Products

    func products(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        let parameters = request.uri.queryParameters
        let query = try ProductListView.Query(
            status: parameters["status"].map(String.init)?.nilIfEmpty, limit: nil, cursor: parameters["cursor"].map(String.init)?.nilIfEmpty)
        let caller = user.caller
        let (list, balance) = try await database.withConnection { connection in
            (try ProductListView.load(caller: caller, query: query, on: connection), try Credits.balance(owner: caller.ownerID, on: connection))
        }
        return try pages.page("products", ListPageModel(list: list, query: query, user: UserBar(user: user, balance: balance)))
    }

    func newProduct(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        return try await newProductPage(user: user, form: .init(), flash: nil, status: .ok)
    }

    func createProduct(_ request: Request, context: Context) async throws -> Response {
        guard let user = context.shopUser else { return Self.signInRedirect(request) }
        let form = try await FormBody.read(request, limit: formLimit)
        try form.requireCSRF(user.csrfToken)
        let garment = (form["garment"] ?? "").split(separator: ":", maxSplits: 1).map(String.init)
        let typed = NewProductPageModel.Form(
            prompt: form["prompt"] ?? "", garment: form["garment"], candidates: form["candidates"].flatMap { Int($0) },
            placement: form["placement"])
        do {
            if let wait = buckets.take(user.userID) { throw APIProblem.rateLimited(retryAfter: wait) }
            guard garment.count == 2 else { throw APIProblem.validation("choose a garment and colour", field: "garment") }
            if let text = form["candidates"], !text.isEmpty, Int(text) == nil {
                throw APIProblem.validation("the number of designs must be a whole number", field: "candidates")
            }
            var request = CreateProductRequest(prompt: typed.prompt, productType: garment[0], shirtColor: garment[1], candidates: typed.candidates)
            if let preset = typed.placement, !preset.isEmpty { request.placement = .preset(preset) }
            let draft = try request.validated(catalog: catalog, maxCandidates: maxCandidates)
            let key = form["idempotency_key"].flatMap { (16...255).contains($0.count) ? $0 : nil }
            let creation = ProductCreation(caller: user.caller, draft: draft, idempotencyKey: key.map { "ui:" + $0 }, price: prices.create)
            let outcome = try await creation.run(on: database)
            let id: UUID = switch outcome {
            case .created(let id, _), .replayed(let id, _): id
            }
            context.logger.info("product created", metadata: [LogKey.productID: "\(id)", LogKey.userID: "\(user.userID)"])
            return Self.redirect("/ui/products/\(id.uuidString.lowercased())")
        } catch let problem as APIProblem {
            let message = try await message(for: problem, owner: user.ownerID, price: prices.create)
            var response = try await newProductPage(user: user, form: typed, flash: .error(message), status: problem.status)
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    private func newProductPage(user: ShopUser, form: NewProductPageModel.Form, flash: Flash?, status: HTTPResponse.Status) async throws -> Response {
        let balance = try await database.withConnection { try Credits.balance(owner: user.ownerID, on: $0) }
        return try pages.page("new_product", NewProductPageModel(
            catalog: catalog, form: form, user: user, balance: balance, maxCandidates: maxCandidates, prices: prices,
            idempotencyKey: SecretToken.random(bytes: 16).value, flash: flash), status: status)
    }

    /// A refusal in words a person understands; nothing internal.
    func message(for problem: APIProblem, owner: UUID, price: Int) async throws -> String {
        switch problem.code {
        case .insufficientCredits:
            let balance = try await database.withConnection { try Credits.balance(owner: owner, on: $0) }
            return "Not enough credits: this costs \(price) and your shop has \(balance). Nothing was created or charged; "
                + "ask your shop's administrator for more credits."
        case .rateLimited:
            return "Too many requests in a short time. Wait \(problem.retryAfterSeconds ?? 1) second(s) and send the form again."
        case .idempotencyConflict:
            return "This form was already sent with other values. Check them and send it again."
        case .invalidState:
            return "The product changed meanwhile, so this could not be done: \(PageText.sentence(problem.detail))"
        default:
            return PageText.sentence(problem.detail)
        }
    }

    // MARK: Helpers

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func signInRedirect(_ request: Request) -> Response {
        let next = request.method == .get ? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") : "/ui/products"
        return redirect("/ui/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    /// Only a path of this builder: never another site (`//evil`), never the API.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/ui/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.contains(where: { $0.isNewline || $0 == "\r" }) else { return "/ui/products" }
        return next
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
