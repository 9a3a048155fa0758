public import Accounts
public import Hummingbird
public import Postgres

/// Resolves a page session cookie into the signed-in account of one realm: the builder's shop
/// users (`SessionCookie.session`, realm `shop`) and the console's operators
/// (`ConsoleCookie.session`, realm `operator`). Only that realm's sessions are looked up, so a
/// cookie of the other realm (or an API key: `Authorization` is never read here) signs nobody
/// in. It never refuses: each page decides whether it needs someone signed in.
public struct SessionMiddleware<Context: RequestContext, Account: Sendable>: RouterMiddleware {
    /// The account behind a live session (nil for one disabled since): its row, read on the
    /// session's connection.
    public typealias Load = @Sendable (_ session: SessionStore.Session, _ token: String, _ connection: PostgresConnection) throws -> Account?
    /// Puts the account into the request's context.
    public typealias Attach = @Sendable (_ context: inout Context, _ account: Account) -> Void

    let cookie: String
    let store: SessionStore
    let database: PostgresClient
    let load: Load
    let attach: Attach

    public init(cookie: String, realm: AccountRealm, database: PostgresClient, load: @escaping Load, attach: @escaping Attach) {
        self.cookie = cookie
        self.store = SessionStore(realm: realm)
        self.database = database
        self.load = load
        self.attach = attach
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[cookie]?.value, !token.isEmpty, let account = try await account(token: token) else {
            return try await next(request, context)
        }
        var context = context
        attach(&context, account)
        return try await next(request, context)
    }

    /// The session's account, or nil for an unknown, expired or disabled one.
    public func account(token: String) async throws -> Account? {
        let store = store, load = load
        return try await database.withConnection { connection in
            guard let session = try store.lookup(token: token, on: connection) else { return nil }
            return try load(session, token, connection)
        }
    }
}
