import Crypto
import Foundation

/// A random secret handed to a browser (a session cookie, a CSRF token, a first password):
/// 32 bytes from the system generator, base64url without padding. Only its sha256 is stored
/// where a stolen table must not let anyone act as the holder.
public struct SecretToken: Sendable, Hashable {
    public let value: String

    public init(value: String) {
        self.value = value
    }

    /// A fresh token of `bytes` random bytes.
    public static func random(bytes: Int = 32) -> SecretToken {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return SecretToken(value: Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: ""))
    }

    /// The digest stored instead of the token.
    public var sha256: [UInt8] {
        Array(SHA256.hash(data: Array(value.utf8)))
    }

    /// Equality in constant time (CSRF tokens compared against the session's).
    public func matches(_ other: String) -> Bool {
        PasswordHash.constantTimeEqual(Array(value.utf8), Array(other.utf8))
    }
}
