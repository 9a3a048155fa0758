import Foundation
public import Hummingbird
import Vocabulary

/// The request context of the intake: Hummingbird's core storage plus who is calling — the
/// API key that ``AuthMiddleware`` authenticated, or the builder's signed-in shop user
/// (``ShopUser``, from the session cookie) — nil on public routes.
public struct IntakeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` on every `/v1` route, and by ``BuilderSessionMiddleware`` for a
    /// signed-in user (the user's shop is the owner).
    public var caller: Caller?
    /// The signed-in shop user of a builder page (nil for API keys).
    var shopUser: ShopUser?
    /// The peer's IP address (sign-in attempts are throttled per address); empty when unknown.
    let peerAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress ?? ""
    }

    /// The route's `{id}` path parameter. A malformed id is the client's mistake, not an unknown
    /// resource: 400 `validation_failed`, field `id` (the builder's pages answer 404 instead).
    func pathID() throws -> UUID {
        guard let id = parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIProblem.malformedID() }
        return id
    }

    /// Acts as `user`: its shop is the caller, and the logs say which shop.
    mutating func signIn(_ user: ShopUser) {
        shopUser = user
        caller = user.caller
        logger[metadataKey: LogKey.ownerID] = "\(user.ownerID)"
    }

    /// The authenticated caller; only `/v1` handlers ask, and they sit behind ``AuthMiddleware``.
    func requireCaller() throws -> Caller {
        guard let caller else { throw APIProblem.unauthorized }
        return caller
    }
}
