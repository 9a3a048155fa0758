import AMQP
import Accounts
import AssetImages
import Foundation
import HTTPTypes
import Hummingbird
import Operations
import Postgres
import Vocabulary
import WebPages

/// The console's pages: sign-in and sign-out here; overview, dead letters, bulk actions and the
/// audit in the extensions. Every form that changes something carries the session's CSRF
/// token, and every action refuses a read-only operator on the server.
struct ConsoleRoutes: Sendable {
    typealias Context = ConsoleRequestContext

    let pages: PageTemplates
    let database: PostgresClient
    let actions: BulkActions
    let defaultRate: Double
    let pageSize: Int
    let broker: AMQPConnection?
    let images: AssetImageStore?
    let workers: [WorkerKind]
    let systemctl: String
    let formLimit = 64 * 1024

    // MARK: Sign-in

    func signInForm(_ request: Request, context: Context) async throws -> Response {
        if context.signedIn != nil { return PageTemplates.redirect(Self.safeNext(request.uri.queryParameters["next"].map(String.init))) }
        return try signInPage(request, name: "", next: request.uri.queryParameters["next"].map(String.init) ?? "", error: nil, status: .ok)
    }

    func signIn(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        let name = form["name"] ?? "", next = form["next"] ?? ""
        guard let cookie = request.cookies[ConsoleCookie.signIn]?.value, !cookie.isEmpty else { throw PageProblem.csrf }
        try form.requireCSRF(cookie)
        let outcome = try await SignIn(realm: .operator).attempt(
            login: name, password: form["password"] ?? "", address: context.peerAddress, database: database)
        switch outcome {
        case .signedIn(let token, _):
            context.logger.info("console sign-in", metadata: [LogKey.operatorName: "\(name.lowercased())"])
            var headers = HTTPFields()
            headers[.location] = Self.safeNext(next)
            headers.append(HTTPField(name: .setCookie, value: PageCookie.set(
                ConsoleCookie.session, value: token.value, maxAge: SessionStore(realm: .operator).lifetimeSeconds, request: request)))
            headers.append(HTTPField(name: .setCookie, value: PageCookie.clear(ConsoleCookie.signIn, request: request)))
            return Response(status: .seeOther, headers: headers)
        case .refused:
            return try signInPage(request, name: name, next: next, error: "That name and password do not match an operator.", status: .unauthorized)
        case .throttled(let seconds):
            let minutes = max(1, (seconds + 59) / 60)
            var response = try signInPage(request, name: name, next: next, error:
                "Too many failed sign-ins. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").", status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
    }

    func signOut(_ request: Request, context: Context) async throws -> Response {
        let form = try await FormBody.read(request, limit: formLimit)
        guard let signedIn = context.signedIn else { return PageTemplates.redirect("/sign-in") }
        try form.requireCSRF(signedIn.csrfToken)
        try await database.withConnection { try SessionStore(realm: .operator).delete(token: signedIn.sessionToken, on: $0) }
        var headers = HTTPFields()
        headers[.location] = "/sign-in"
        headers.append(HTTPField(name: .setCookie, value: PageCookie.clear(ConsoleCookie.session, request: request)))
        return Response(status: .seeOther, headers: headers)
    }

    private func signInPage(_ request: Request, name: String, next: String, error: String?, status: HTTPResponse.Status) throws -> Response {
        struct Model { var error: String?; var csrfToken: String; var name: String; var next: String }
        let existing = request.cookies[ConsoleCookie.signIn]?.value ?? ""
        let token = existing.isEmpty ? SecretToken.random().value : existing
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: PageCookie.set(ConsoleCookie.signIn, value: token, maxAge: 3600, request: request)))
        return try pages.page("sign_in", Model(error: error, csrfToken: token, name: name, next: Self.safeNext(next)), status: status, headers: headers)
    }

    func staticFile(_ request: Request, context: Context) async throws -> Response {
        try pages.staticFile(context.parameters.get("file") ?? "", request: request)
    }

    // MARK: Helpers

    /// The signed-in operator, or a redirect to sign-in (thrown as a response).
    func requireOperator(_ request: Request, _ context: Context) throws -> SignedInOperator {
        guard let signedIn = context.signedIn else { throw SignInRequired(request: request) }
        return signedIn
    }

    /// The signed-in operator allowed to act, after the form's CSRF check.
    func requireActor(_ request: Request, _ context: Context, form: FormBody) throws -> SignedInOperator {
        let signedIn = try requireOperator(request, context)
        try form.requireCSRF(signedIn.csrfToken)
        guard !signedIn.readOnly else { throw PageProblem.readOnly }
        return signedIn
    }

    /// Only a path of this console: never another site (`//evil`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.hasPrefix("/sign-"),
              !next.contains(where: { $0.isNewline || $0 == "\r" }) else { return "/" }
        return next
    }
}

/// A page that needs an operator was asked for without one: answered with a redirect to
/// sign-in (``SignInRedirectMiddleware``).
struct SignInRequired: Error {
    var request: Request

    var response: Response {
        let next = request.method == .get ? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") : "/"
        return PageTemplates.redirect("/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }
}

/// Turns ``SignInRequired`` into its redirect.
struct SignInRedirectMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let required as SignInRequired {
            return required.response
        }
    }
}
