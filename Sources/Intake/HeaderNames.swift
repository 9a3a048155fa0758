import HTTPTypes

/// The header names this server spells itself, in one place. They are constants of the code, so
/// an invalid one is a programming error (a precondition), not a failable value at each use.
extension HTTPField.Name {
    static let idempotencyKey = constant("Idempotency-Key")
    static let idempotentReplayed = constant("Idempotent-Replayed")
    /// The builder's script asks for a page's live region only.
    static let fragment = constant("X-Fragment")
    /// Whether that region still changes by itself (`on`/`off`).
    static let live = constant("X-Live")

    private static func constant(_ name: String) -> HTTPField.Name {
        guard let parsed = HTTPField.Name(name) else { preconditionFailure("invalid header name \(name)") }
        return parsed
    }
}
