import Accounts
import Foundation
import Hummingbird
import Postgres
import Vocabulary

/// Resolves the console's session cookie into a ``SignedInOperator``. Only the operator realm's
/// sessions are looked up: a shop user's session, a shop API key (`Authorization` is never
/// read here) or any other cookie signs nobody in.
struct OperatorSessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    let database: PostgresClient

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[ConsoleCookie.session]?.value, !token.isEmpty,
              let signedIn = try await Self.signedIn(token: token, database: database) else {
            return try await next(request, context)
        }
        var context = context
        context.signedIn = signedIn
        context.logger[metadataKey: LogKey.operatorName] = "\(signedIn.name)"
        return try await next(request, context)
    }

    static func signedIn(token: String, database: PostgresClient) async throws -> SignedInOperator? {
        try await database.withConnection { connection in
            guard let session = try SessionStore(realm: .operator).lookup(token: token, on: connection),
                  let row = try connection.query("SELECT name, read_only FROM operators WHERE id = \(session.accountID)").first
            else { return nil }
            return SignedInOperator(
                id: session.accountID, name: try row.decode(String.self, column: "name"),
                readOnly: try row.decode(Bool.self, column: "read_only"), csrfToken: session.csrfToken, sessionToken: token)
        }
    }
}
