import Crypto
import _CryptoExtras
import Dispatch
import Foundation

/// A password stored as scrypt (memory-hard: N = 2^15, r = 8, p = 1 costs 32 MiB and tens of
/// milliseconds per try), in the self-describing text form
/// `scrypt$<log2 N>$<r>$<p>$<salt base64>$<key base64>`, so the cost can be raised later
/// without breaking stored hashes. Never a plain hash: a leaked table costs an attacker the
/// same work per guess as the server.
public struct PasswordHash: Sendable, Equatable {
    public var logN: Int
    public var blockSize: Int
    public var parallelism: Int
    public var salt: [UInt8]
    public var key: [UInt8]

    /// The cost new hashes get.
    public static let defaultLogN = 15
    static let keyBytes = 32

    /// The stored text form.
    public var encoded: String {
        "scrypt$\(logN)$\(blockSize)$\(parallelism)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Parses the stored form; nil when it is not one this code wrote.
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt",
              let logN = Int(parts[1]), (10...20).contains(logN),
              let r = Int(parts[2]), (1...32).contains(r), let p = Int(parts[3]), (1...16).contains(p),
              let salt = Data(base64Encoded: String(parts[4])), salt.count >= 16,
              let key = Data(base64Encoded: String(parts[5])), key.count == Self.keyBytes
        else { return nil }
        self.init(logN: logN, blockSize: r, parallelism: p, salt: Array(salt), key: Array(key))
    }

    init(logN: Int, blockSize: Int, parallelism: Int, salt: [UInt8], key: [UInt8]) {
        self.logN = logN
        self.blockSize = blockSize
        self.parallelism = parallelism
        self.salt = salt
        self.key = key
    }

    /// Hashes a new password with a fresh random salt.
    public static func make(password: String, logN: Int = defaultLogN) throws -> PasswordHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let key = try derive(password: password, salt: salt, logN: logN, blockSize: 8, parallelism: 1)
        return PasswordHash(logN: logN, blockSize: 8, parallelism: 1, salt: salt, key: key)
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func verify(_ password: String) throws -> Bool {
        let candidate = try Self.derive(password: password, salt: salt, logN: logN, blockSize: blockSize, parallelism: parallelism)
        return Self.constantTimeEqual(candidate, key)
    }

    /// `verify` off the Swift cooperative pool: a scrypt derivation is tens of milliseconds of
    /// CPU and 32 MiB, which must not hold one of the pool's few threads.
    public func verifyOffPool(_ password: String) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try verify(password) })
            }
        }
    }

    static func derive(password: String, salt: [UInt8], logN: Int, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: keyBytes,
            rounds: 1 << logN, blockSize: blockSize, parallelism: parallelism, maxMemory: 256 * 1024 * 1024)
        return key.withUnsafeBytes { Array($0) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
