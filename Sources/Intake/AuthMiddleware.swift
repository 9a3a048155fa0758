import Foundation
import Hummingbird
import Postgres
import Vocabulary

/// Authenticates `Authorization: Bearer itp_<prefix>_<secret>` against `api_keys`
/// (prefix lookup, `sha256(secret)` compared in the database, revoked keys refused) and
/// puts the ``Caller`` in the context. `last_used_at` is refreshed at most once a minute
/// per key, in the same statement. A key that authenticated is remembered (``IntakeCaches``)
/// for up to a minute, until a change of its row is notified, so repeated requests with it
/// need no database round trip; a revocation takes effect as soon as its NOTIFY arrives.
///
/// A request without `Authorization` may instead carry the builder's session cookie, for
/// reading only (`GET`/`HEAD`: images in `<img>`, the event stream in `EventSource`): the
/// user acts as its shop. State changes through `/v1` always need a key, so a cookie can
/// never be made to write by another page (the builder's own forms carry CSRF tokens).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = IntakeRequestContext

    let database: PostgresClient
    let keys: NotifiedCache<String, IntakeCaches.Key>
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, try await cookieContext(request, context: context))
        }
        guard header.count <= 512 else { throw APIProblem.unauthorized }
        let scheme = header.prefix { $0 != " " }
        guard scheme.lowercased() == "bearer",
              let token = APIKeyToken(header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces))
        else { throw APIProblem.unauthorized }
        guard let caller = try await lookup(token) else { throw APIProblem.unauthorized }
        var context = context
        context.caller = caller
        context.logger[metadataKey: LogKey.ownerID] = "\(caller.ownerID)"
        return try await next(request, context)
    }

    private func cookieContext(_ request: Request, context: Context) async throws -> Context {
        guard request.method == .get || request.method == .head,
              let token = request.cookies[SessionCookie.session]?.value, !token.isEmpty,
              let user = try await BuilderSessionMiddleware.user(token: token, database: database)
        else { throw APIProblem.unauthorized }
        var context = context
        context.signIn(user)
        return context
    }

    private func lookup(_ token: APIKeyToken) async throws -> Caller? {
        let secretSHA256 = token.secretSHA256
        // The digest of a secret, not the secret: comparing it leaks nothing usable.
        if let known = keys.value(for: token.prefix), known.secretSHA256 == secretSHA256 {
            metrics.cacheLookup(.apiKey, hit: true)
            return known.caller
        }
        metrics.cacheLookup(.apiKey, hit: false)
        return try await read(token, secretSHA256: secretSHA256)
    }

    private func read(_ token: APIKeyToken, secretSHA256: [UInt8]) async throws -> Caller? {
        let ticket = keys.ticket()
        let caller = try await database.withConnection { connection -> Caller? in
            let rows = try connection.query("""
                WITH key AS (
                    SELECT id, owner_id FROM api_keys
                    WHERE prefix = \(token.prefix) AND revoked_at IS NULL
                      AND secret_sha256 = sha256(convert_to(\(token.secret), 'UTF8'))),
                touched AS (
                    UPDATE api_keys SET last_used_at = now()
                    WHERE id IN (SELECT id FROM key)
                      AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
                SELECT id, owner_id FROM key
                """)
            guard let row = rows.first else { return nil }
            let (keyID, ownerID) = try row.decode((UUID, UUID).self)
            return Caller(keyID: keyID, ownerID: ownerID)
        }
        if let caller { keys.store(IntakeCaches.Key(secretSHA256: secretSHA256, caller: caller), for: token.prefix, ticket: ticket) }
        return caller
    }
}
