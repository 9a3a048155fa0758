import Hummingbird

/// Spends one token of the caller's bucket per request; an empty bucket is a 429
/// `rate_limited` problem with `Retry-After`. Runs after ``AuthMiddleware``.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    let buckets: TokenBuckets

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let caller = try context.requireCaller()
        if let wait = buckets.take(caller.keyID) { throw APIProblem.rateLimited(retryAfter: wait) }
        return try await next(request, context)
    }
}
