import Accounts
import Foundation
import Hummingbird
import Postgres
import Vocabulary
import WebPages

/// Resolves the console's session cookie into a ``SignedInOperator`` (``SessionMiddleware``,
/// as the builder's shop sessions are). Only the operator realm's sessions are looked up: a
/// shop user's session, a shop API key or any other cookie signs nobody in.
enum OperatorSessionMiddleware {
    static func make(database: PostgresClient) -> SessionMiddleware<ConsoleRequestContext, SignedInOperator> {
        SessionMiddleware(cookie: ConsoleCookie.session, realm: .operator, database: database, load: { session, token, connection in
            guard let row = try connection.query("SELECT name, read_only FROM operators WHERE id = \(session.accountID)").first else { return nil }
            return SignedInOperator(
                id: session.accountID, name: try row.decode(String.self, column: "name"),
                readOnly: try row.decode(Bool.self, column: "read_only"), csrfToken: session.csrfToken, sessionToken: token)
        }, attach: { context, signedIn in
            context.signedIn = signedIn
            context.logger[metadataKey: LogKey.operatorName] = "\(signedIn.name)"
        })
    }
}
