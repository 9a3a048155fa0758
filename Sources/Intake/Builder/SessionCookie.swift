import Hummingbird
import WebPages

/// The builder's cookies (HttpOnly, SameSite=Strict, `Secure` behind TLS: ``PageCookie``),
/// scoped to the whole origin, since images and the event stream live under `/v1`.
enum SessionCookie {
    static let session = "itp_session"
    /// The sign-in form's CSRF token before any session exists (double submit: cookie + field).
    static let signIn = "itp_signin"

    static func set(_ name: String, value: String, maxAge: Int, request: Request) -> String {
        PageCookie.set(name, value: value, maxAge: maxAge, request: request)
    }

    static func clear(_ name: String, request: Request) -> String {
        PageCookie.clear(name, request: request)
    }
}
