public import Hummingbird
import HTTPTypes

/// Cookies of signed-in pages: HttpOnly and SameSite=Strict (no other site can make the
/// browser send them), `Secure` when the request came over TLS (directly or through a proxy
/// that says `X-Forwarded-Proto: https`), for the whole origin.
public enum PageCookie {
    public static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[.forwardedProto]?.lowercased() == "https"
    }

    public static func set(_ name: String, value: String, maxAge: Int, request: Request) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (isSecure(request) ? "; Secure" : "")
    }

    public static func clear(_ name: String, request: Request) -> String {
        set(name, value: "", maxAge: 0, request: request)
    }
}
