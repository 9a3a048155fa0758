import Crypto
public import Foundation

/// The signature of every delivery, Stripe's scheme: the header
/// `ITP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`.
/// A receiver recomputes the HMAC over the raw body it received, compares in constant time,
/// and rejects a timestamp older than its tolerance (replays). README "Webhooks" has the
/// verification snippet.
public enum WebhookSignature {
    public static let headerName = "ITP-Signature"
    /// What a receiver should allow between `t` and its clock.
    public static let defaultTolerance: TimeInterval = 300

    /// The header value for `body` signed at `timestamp`.
    public static func header(body: [UInt8], secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(hex(mac(body: body, secret: secret, timestamp: timestamp)))"
    }

    /// Verification as a receiver does it (tests and the README's reference).
    public static func verify(header: String, body: [UInt8], secret: String, now: Date = Date(), tolerance: TimeInterval = defaultTolerance) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(hex(mac(body: body, secret: secret, timestamp: timestamp)).utf8)
        return signatures.contains { candidate in
            let given = Array(candidate.utf8)
            guard given.count == expected.count else { return false }
            return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    /// A new endpoint secret: `whsec_` and 32 random bytes in hex.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "whsec_" + hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private static func mac(body: [UInt8], secret: String, timestamp: Int) -> [UInt8] {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8))))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            utf8.append(digits[Int(byte >> 4)])
            utf8.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
