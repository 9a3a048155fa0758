public import Hummingbird

/// The request context of the intake API: Hummingbird's core storage plus the API key
/// that ``AuthMiddleware`` authenticated (nil on public routes).
public struct IntakeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` on every `/v1` route.
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The authenticated caller; only `/v1` handlers ask, and they sit behind ``AuthMiddleware``.
    func requireCaller() throws -> Caller {
        guard let caller else { throw APIProblem.unauthorized }
        return caller
    }
}
