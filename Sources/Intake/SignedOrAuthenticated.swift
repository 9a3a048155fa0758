import Hummingbird

/// The access rule of the image route: a request carrying signed-URL parameters goes on
/// without an API key (``AssetRoutes`` checks the signature and refuses a bad one with 403);
/// every other request passes the same authentication and rate limit as the rest of `/v1`.
///
/// Signed requests are not rate limited per key (they have none): they are one row read
/// and one storage read, or a 304 from the row alone.
struct SignedOrAuthenticated: RouterMiddleware {
    typealias Context = IntakeRequestContext

    let authentication: AuthMiddleware
    let rateLimit: RateLimitMiddleware

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if AssetRoutes.isSigned(request) { return try await next(request, context) }
        return try await authentication.handle(request, context: context) { request, context in
            try await rateLimit.handle(request, context: context, next: next)
        }
    }
}
