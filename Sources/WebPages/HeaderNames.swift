import HTTPTypes

/// The header names pages spell themselves.
extension HTTPField.Name {
    static let contentTypeOptions = constant("X-Content-Type-Options")
    static let referrerPolicy = constant("Referrer-Policy")
    static let forwardedProto = constant("X-Forwarded-Proto")

    private static func constant(_ name: String) -> HTTPField.Name {
        guard let parsed = HTTPField.Name(name) else { preconditionFailure("invalid header name \(name)") }
        return parsed
    }
}
