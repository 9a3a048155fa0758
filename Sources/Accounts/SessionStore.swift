public import Foundation
public import Postgres

/// Browser sessions of one realm, in Postgres: the cookie's token is random and only its
/// sha256 is stored; each session has a fixed expiry and its own CSRF token.
public struct SessionStore: Sendable {
    /// A live session, as a request sees it.
    public struct Session: Sendable, Equatable {
        public var accountID: UUID
        public var csrfToken: String
        public var expiresAt: Date
    }

    public var realm: AccountRealm
    /// How long a session lives from sign-in (default 12 hours).
    public var lifetimeSeconds = 12 * 3600

    public init(realm: AccountRealm) {
        self.realm = realm
    }

    /// Starts a session; returns the cookie's token (never stored) and the session.
    public func create(accountID: UUID, address: String, on connection: PostgresConnection) throws -> (token: SecretToken, session: Session) {
        let token = SecretToken.random(), csrf = SecretToken.random()
        // Expired sessions of this account go with each new one, so the table does not grow.
        try connection.execute("""
            DELETE FROM \(identifier: realm.sessionsTable)
            WHERE \(identifier: realm.sessionAccountColumn) = \(accountID) AND expires_at < now()
            """)
        let expires = try connection.query("""
            INSERT INTO \(identifier: realm.sessionsTable) (token_sha256, \(identifier: realm.sessionAccountColumn), csrf_token, address, expires_at)
            VALUES (sha256(convert_to(\(token.value), 'UTF8')), \(accountID), \(csrf.value), \(String(address.prefix(64))),
                    now() + make_interval(secs => \(lifetimeSeconds)))
            RETURNING expires_at
            """)[0].decode(Date.self)
        return (token, Session(accountID: accountID, csrfToken: csrf.value, expiresAt: expires))
    }

    /// The unexpired session of a cookie's token whose account is not disabled; nil otherwise.
    public func lookup(token: String, on connection: PostgresConnection) throws -> Session? {
        guard (20...128).contains(token.count) else { return nil }
        guard let row = try connection.query("""
            SELECT s.\(identifier: realm.sessionAccountColumn) AS account_id, s.csrf_token, s.expires_at
            FROM \(identifier: realm.sessionsTable) s
            JOIN \(identifier: realm.accountsTable) a ON a.id = s.\(identifier: realm.sessionAccountColumn)
            WHERE s.token_sha256 = sha256(convert_to(\(token), 'UTF8')) AND s.expires_at > now() AND a.disabled_at IS NULL
            """).first else { return nil }
        return Session(
            accountID: try row.decode(UUID.self, column: "account_id"), csrfToken: try row.decode(String.self, column: "csrf_token"),
            expiresAt: try row.decode(Date.self, column: "expires_at"))
    }

    /// Sign-out: the session is gone, whatever the cookie still says.
    public func delete(token: String, on connection: PostgresConnection) throws {
        try connection.execute("""
            DELETE FROM \(identifier: realm.sessionsTable) WHERE token_sha256 = sha256(convert_to(\(token), 'UTF8'))
            """)
    }
}
