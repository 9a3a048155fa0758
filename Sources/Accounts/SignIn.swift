import Foundation
public import Postgres

/// One sign-in attempt, start to end: the throttle first (no hashing when refused), then the
/// account and its scrypt hash, a failure recorded or a session created. An unknown login and
/// a wrong password are the same answer, and cost the same scrypt work.
public struct SignIn: Sendable {
    public enum Outcome: Sendable, Equatable {
        case signedIn(token: SecretToken, session: SessionStore.Session)
        case refused
        case throttled(retryAfterSeconds: Int)
    }

    public var realm: AccountRealm
    public var throttle: SignInThrottle
    public var sessions: SessionStore

    public init(realm: AccountRealm) {
        self.realm = realm
        self.throttle = SignInThrottle(realm: realm)
        self.sessions = SessionStore(realm: realm)
    }

    /// A hash of nothing anyone knows, verified for unknown logins so they take as long as known ones.
    private static let decoy = try? PasswordHash.make(password: SecretToken.random().value)

    public func attempt(login rawLogin: String, password: String, address: String, database: PostgresClient) async throws -> Outcome {
        let login = rawLogin.trimmingCharacters(in: .whitespaces).lowercased()
        let realm = realm, throttle = throttle
        enum Lookup: Sendable { case throttled(Int), account((UUID, String)?) }
        let lookup: Lookup = try await database.withConnection { connection in
            if let wait = try throttle.retryAfter(login: login, address: address, on: connection) { return .throttled(wait) }
            let row = try connection.query("""
                SELECT id, password_hash FROM \(identifier: realm.accountsTable)
                WHERE \(identifier: realm.loginColumn) = \(login) AND disabled_at IS NULL
                """).first
            return .account(try row.map { try $0.decode((UUID, String).self) })
        }
        let account: (UUID, String)?
        switch lookup {
        case .throttled(let wait): return .throttled(retryAfterSeconds: wait)
        case .account(let found): account = found
        }
        let hash = account.flatMap { PasswordHash(encoded: $0.1) } ?? Self.decoy
        let verified = try await hash?.verifyOffPool(password) ?? false
        guard verified, let accountID = account?.0 else {
            try await database.withConnection { try throttle.recordFailure(login: login, address: address, on: $0) }
            return .refused
        }
        let sessions = sessions
        let (token, session) = try await database.withTransaction { connection in
            try throttle.clear(login: login, on: connection)
            return try sessions.create(accountID: accountID, address: address, on: connection)
        }
        return .signedIn(token: token, session: session)
    }
}
