import Hummingbird
import Vocabulary
import WebPages

/// A ``PageProblem`` becomes an HTML error page with its status; anything else is logged and
/// shown as a plain page that reveals nothing (no SQL, no setting names, no paths).
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let pages: PageTemplates

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as PageProblem {
            return try render(problem, context: context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return try render(.notFound, context: context)
        } catch {
            context.logger.error("console page failed", metadata: [LogKey.error: .error(error), LogKey.httpRoute: "\(request.uri.path)"])
            return try render(PageProblem(
                status: .internalServerError, heading: "Something went wrong",
                message: "The page could not be shown. Try again in a moment."), context: context)
        }
    }

    private func render(_ problem: PageProblem, context: Context) throws -> Response {
        struct Model { var bar: OperatorBar?; var heading: String; var message: String }
        return try pages.page("error", Model(bar: context.signedIn.map(OperatorBar.init), heading: problem.heading, message: problem.message),
                              status: problem.status)
    }
}

/// The header of every signed-in page: who, the role, the sign-out form's CSRF token.
struct OperatorBar: Sendable {
    var name: String
    var role: String
    var csrfToken: String
    var canAct: Bool

    init(_ signedIn: SignedInOperator) {
        name = signedIn.name
        role = signedIn.readOnly ? "read-only" : "operator"
        csrfToken = signedIn.csrfToken
        canAct = !signedIn.readOnly
    }
}

extension PageProblem {
    static let readOnly = PageProblem(
        status: .forbidden, heading: "Read-only operator",
        message: "Your account may look at everything here but not act. Ask an operator with full rights.")
}
