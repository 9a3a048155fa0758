/// Who signs in where: shop users on the builder, operators on the console. Each realm has its
/// own accounts and sessions tables (so a shop user can never hold an operator session) and
/// shares the table of failed attempts, told apart by `name`.
public struct AccountRealm: Sendable, Hashable {
    /// The value of `sign_in_failures.realm`.
    public var name: String
    /// Accounts: `id`, the login column, `password_hash`, `disabled_at`.
    public var accountsTable: String
    /// The column people type as their login (`email` for shop users).
    public var loginColumn: String
    /// Sessions: `token_sha256`, the account column, `csrf_token`, `address`, `expires_at`.
    public var sessionsTable: String
    public var sessionAccountColumn: String

    public init(name: String, accountsTable: String, loginColumn: String, sessionsTable: String, sessionAccountColumn: String) {
        self.name = name
        self.accountsTable = accountsTable
        self.loginColumn = loginColumn
        self.sessionsTable = sessionsTable
        self.sessionAccountColumn = sessionAccountColumn
    }

    /// The builder's shop users (migration 0004).
    public static let shop = AccountRealm(
        name: "shop", accountsTable: "shop_users", loginColumn: "email", sessionsTable: "shop_sessions",
        sessionAccountColumn: "user_id")

    /// The console's operators (migration 0007): logged in by name, never by a shop's e-mail.
    public static let `operator` = AccountRealm(
        name: "operator", accountsTable: "operators", loginColumn: "name", sessionsTable: "operator_sessions",
        sessionAccountColumn: "operator_id")
}
