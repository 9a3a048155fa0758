import Hummingbird
import Vocabulary

/// Inside the builder's routes: a ``PageProblem`` or an ``APIProblem`` from the shared
/// operations becomes an HTML error page with the same status; anything else is logged and
/// shown as a plain "something went wrong" page that reveals nothing.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    let pages: BuilderPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as PageProblem {
            return try render(problem, context: context)
        } catch let problem as APIProblem {
            let status = problem.status
            let heading = status == .notFound ? PageProblem.shopNotFound.heading : problem.title
            let message = status == .notFound ? PageProblem.shopNotFound.message : PageText.sentence(problem.detail)
            return try render(PageProblem(status: status, heading: heading, message: message), context: context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return try render(.shopNotFound, context: context)
        } catch {
            context.logger.error("page failed", metadata: [LogKey.error: .error(error), LogKey.httpRoute: "\(request.uri.path)"])
            return try render(PageProblem(
                status: .internalServerError, heading: "Something went wrong",
                message: "The page could not be shown. Try again in a moment."), context: context)
        }
    }

    private func render(_ problem: PageProblem, context: Context) throws -> Response {
        struct Model { var user: UserBar?; var heading: String; var message: String }
        return try pages.page("error", Model(user: context.shopUser.map { UserBar(user: $0, balance: nil) }, heading: problem.heading,
                                              message: problem.message), status: problem.status)
    }
}
