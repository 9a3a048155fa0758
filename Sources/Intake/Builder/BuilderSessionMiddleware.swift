import Accounts
import Foundation
import Hummingbird
import Postgres

/// Resolves the builder's session cookie into a ``ShopUser`` (and its shop's ``Caller``) for the
/// pages. It never refuses: each page decides whether it needs a user (``BuilderRoutes``
/// redirects to sign-in).
struct BuilderSessionMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    let database: PostgresClient

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[SessionCookie.session]?.value, !token.isEmpty,
              let user = try await Self.user(token: token, database: database) else {
            return try await next(request, context)
        }
        var context = context
        context.signIn(user)
        return try await next(request, context)
    }

    /// The session's user, or nil for an unknown, expired or disabled one.
    static func user(token: String, database: PostgresClient) async throws -> ShopUser? {
        try await database.withConnection { connection in
            guard let session = try SessionStore(realm: .shop).lookup(token: token, on: connection),
                  let row = try connection.query("""
                    SELECT owner_id, email FROM shop_users WHERE id = \(session.accountID)
                    """).first else { return nil }
            return ShopUser(
                userID: session.accountID, ownerID: try row.decode(UUID.self, column: "owner_id"),
                email: try row.decode(String.self, column: "email"), csrfToken: session.csrfToken, sessionToken: token)
        }
    }
}
