import Hummingbird

/// The outermost middleware: counts and times every request after ``ProblemMiddleware``
/// has turned any error into its response, so the status is the one the client got.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(method: request.method.rawValue, path: request.uri.path, status: response.status.code,
                           duration: ContinuousClock.now - start)
            return response
        } catch {
            metrics.record(method: request.method.rawValue, path: request.uri.path, status: 500, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
