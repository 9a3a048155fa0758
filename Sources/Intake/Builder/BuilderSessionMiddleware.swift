import Accounts
import Foundation
import Hummingbird
import Postgres
import WebPages

/// Resolves the builder's session cookie into a ``ShopUser`` (and its shop's ``Caller``) for the
/// pages (``SessionMiddleware``, as the console's operator sessions are). It never refuses: each
/// page decides whether it needs a user (``BuilderRoutes`` redirects to sign-in).
enum BuilderSessionMiddleware {
    static func make(database: PostgresClient) -> SessionMiddleware<IntakeRequestContext, ShopUser> {
        SessionMiddleware(cookie: SessionCookie.session, realm: .shop, database: database, load: { session, token, connection in
            guard let row = try connection.query("SELECT owner_id, email FROM shop_users WHERE id = \(session.accountID)").first else { return nil }
            return ShopUser(
                userID: session.accountID, ownerID: try row.decode(UUID.self, column: "owner_id"),
                email: try row.decode(String.self, column: "email"), csrfToken: session.csrfToken, sessionToken: token)
        }, attach: { context, user in context.signIn(user) })
    }

    /// The session's user, or nil for an unknown, expired or disabled one.
    static func user(token: String, database: PostgresClient) async throws -> ShopUser? {
        try await make(database: database).account(token: token)
    }
}
