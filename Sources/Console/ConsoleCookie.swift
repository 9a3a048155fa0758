/// The console's cookies: names of their own, so the builder's shop session (`itp_session`)
/// is never read here, even when both surfaces share a host.
enum ConsoleCookie {
    static let session = "itp_console_session"
    /// The sign-in form's CSRF token before any session exists (double submit: cookie + field).
    static let signIn = "itp_console_signin"
}
