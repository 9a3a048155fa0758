/// The signed-in part of every page's header: who, the shop's credit balance, and the CSRF
/// token of the sign-out form.
struct UserBar: Sendable {
    var email: String
    var csrfToken: String
    var balance: String

    init(user: ShopUser, balance: Int?) {
        email = user.email
        csrfToken = user.csrfToken
        self.balance = balance.map(String.init) ?? "–"
    }
}

/// A one-line message at the top of a page (a refused form, a done action).
struct Flash: Sendable {
    var kind: String
    var message: String

    static func error(_ message: String) -> Flash { Flash(kind: "error", message: message) }
    static func info(_ message: String) -> Flash { Flash(kind: "info", message: message) }
}
