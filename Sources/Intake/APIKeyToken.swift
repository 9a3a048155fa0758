import Crypto

/// The API key format `itp_<prefix>_<secret>`: the prefix (8–64 of `[a-z0-9]`) names the
/// key and is its lookup key; the database stores only `sha256(secret)` (of the secret's
/// UTF-8 bytes). `itp-admin keys create` makes them.
struct APIKeyToken: Sendable, Equatable {
    var prefix: String
    var secret: String

    /// Parses a bearer token; nil for anything not in the format.
    init?(_ token: some StringProtocol) {
        guard token.hasPrefix("itp_") else { return nil }
        let parts = token.dropFirst(4).split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let prefix = parts[0], secret = parts[1]
        guard (8...64).contains(prefix.utf8.count), (16...256).contains(secret.utf8.count),
              prefix.utf8.allSatisfy(Self.isKeyCharacter), secret.utf8.allSatisfy(Self.isKeyCharacter)
        else { return nil }
        self.prefix = String(prefix)
        self.secret = String(secret)
    }

    /// `sha256(secret)`, as `api_keys.secret_sha256` stores it.
    var secretSHA256: [UInt8] {
        Array(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Lower-case ASCII letters and digits only: nothing that needs escaping anywhere.
    private static func isKeyCharacter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
