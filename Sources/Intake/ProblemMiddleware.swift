import Hummingbird
import Logging
import Postgres
import Vocabulary

/// The outermost middleware: every error leaves as `application/problem+json`.
/// ``APIProblem``s are answered as they are; Hummingbird's own HTTP errors become the
/// matching stable code (an unknown path 404, a known path with another method 405 with
/// `Allow`); anything else is logged with its details and
/// answered as a 500 `internal_error` that reveals nothing (STYLE.md point 9).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            return problem.response()
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            // The router knows paths per method: a known path with another method is a 405.
            let allow = IntakeRoute.methods(forPath: request.uri.path)
            if !allow.isEmpty, !allow.contains(request.method.rawValue) {
                return APIProblem.methodNotAllowed(request.method.rawValue, path: request.uri.path, allow: allow).response()
            }
            return APIProblem.notFound("no such endpoint: \(request.method) \(request.uri.path)").response()
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return APIProblem(.payloadTooLarge, status: .contentTooLarge, title: "Payload too large",
                              detail: "the request body is too large").response()
        } catch let error as PostgresError {
            context.logger.error("request failed in the database", metadata: [
                LogKey.dbSQLState: "\(error.sqlState ?? "")", LogKey.error: .error(error),
                LogKey.httpRoute: "\(context.endpointPath ?? request.uri.path)",
            ])
            return APIProblem.internalError.response()
        } catch {
            context.logger.error("request failed", metadata: [
                LogKey.error: .error(error), LogKey.httpRoute: "\(context.endpointPath ?? request.uri.path)",
            ])
            return APIProblem.internalError.response()
        }
    }
}
