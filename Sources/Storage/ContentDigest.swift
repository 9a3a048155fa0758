import Crypto

/// SHA-256 of a blob, recorded with every asset (swift-crypto: BoringSSL's assembly, so a
/// 30 MB design hashes in milliseconds, also in debug builds).
public enum ContentDigest {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
