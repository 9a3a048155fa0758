public import Postgres

/// Limits password guessing per account and per address, counted in `sign_in_failures` so that
/// every instance of a surface sees the same count. Checked before a password is hashed, so a
/// flood of guesses costs the server no scrypt work either.
public struct SignInThrottle: Sendable {
    public var realm: AccountRealm
    /// Failures of one login allowed within `window` (default 5 in 15 minutes).
    public var perLogin = 5
    /// Failures from one address allowed within `window`, whatever the login (default 20).
    public var perAddress = 20
    public var windowSeconds = 15 * 60

    public init(realm: AccountRealm) {
        self.realm = realm
    }

    /// Seconds until a new attempt is allowed, or nil when it is allowed now.
    public func retryAfter(login: String, address: String, on connection: PostgresConnection) throws -> Int? {
        let row = try connection.query("""
            SELECT
              (SELECT count(*) FROM sign_in_failures WHERE realm = \(realm.name) AND login = \(login)
                 AND failed_at > now() - make_interval(secs => \(windowSeconds))) AS by_login,
              (SELECT count(*) FROM sign_in_failures WHERE realm = \(realm.name) AND address = \(address)
                 AND failed_at > now() - make_interval(secs => \(windowSeconds))) AS by_address,
              (SELECT ceil(extract(epoch FROM min(failed_at) + make_interval(secs => \(windowSeconds)) - now()))::int
                 FROM (SELECT failed_at FROM sign_in_failures WHERE realm = \(realm.name)
                         AND (login = \(login) OR address = \(address))
                         AND failed_at > now() - make_interval(secs => \(windowSeconds))
                       ORDER BY failed_at DESC LIMIT \(max(perLogin, perAddress))) recent) AS wait
            """)[0]
        let byLogin = try row.decode(Int.self, column: "by_login"), byAddress = try row.decode(Int.self, column: "by_address")
        guard byLogin >= perLogin || byAddress >= perAddress else { return nil }
        return max(1, try row.decode(Int?.self, column: "wait") ?? windowSeconds)
    }

    public func recordFailure(login: String, address: String, on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO sign_in_failures (realm, login, address) VALUES (\(realm.name), \(String(login.prefix(254))), \(String(address.prefix(64))))
            """)
    }

    /// A successful sign-in forgets the login's failures (the address keeps its count).
    public func clear(login: String, on connection: PostgresConnection) throws {
        try connection.execute("DELETE FROM sign_in_failures WHERE realm = \(realm.name) AND login = \(login)")
    }
}
