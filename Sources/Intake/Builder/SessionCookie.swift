import Hummingbird

/// The builder's cookies. The session cookie is HttpOnly and SameSite=Strict (so no other site
/// can make the browser send it), `Secure` when the request came over TLS (directly or through
/// a proxy that says `X-Forwarded-Proto: https`), and scoped to the whole origin, since images
/// and the event stream live under `/v1`.
enum SessionCookie {
    static let session = "itp_session"
    /// The sign-in form's CSRF token before any session exists (double submit: cookie + field).
    static let signIn = "itp_signin"

    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[.forwardedProto]?.lowercased() == "https"
    }

    static func set(_ name: String, value: String, maxAge: Int, request: Request) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (isSecure(request) ? "; Secure" : "")
    }

    static func clear(_ name: String, request: Request) -> String {
        set(name, value: "", maxAge: 0, request: request)
    }
}
