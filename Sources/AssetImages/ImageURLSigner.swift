import Crypto
public import Foundation

/// Signed, expiring image URLs that a public page can embed without the API key:
/// `/v1/assets/{id}/content?width=512&expires=1767225600&signature=…`.
///
/// The signature is HMAC-SHA256 with a server secret over the asset id, the width (or
/// `full`) and the expiry, base64url without padding. Verification accepts the current
/// secret and, during a rotation, the previous one: set the new secret as current and the
/// old one as previous, and every URL handed out before the rotation keeps working until it
/// expires; drop the previous secret once the longest lifetime has passed.
///
/// Expiries are rounded up to the next whole hour, so the URLs of one asset are the same
/// for an hour and a browser or CDN cache keeps hitting.
public struct ImageURLSigner: Sendable {
    /// Signs new URLs and verifies (bytes: swift-crypto's `SymmetricKey` is not `Sendable`).
    private let current: [UInt8]
    /// Verifies only (the secret before the last rotation).
    private let previous: [UInt8]?
    /// How long a new URL stays valid (at least; rounded up to the hour).
    public let lifetimeSeconds: Int
    /// Prefix of every URL (`https://api.example.com`); empty for paths relative to the API's origin.
    public let baseURL: String

    public static let defaultLifetimeSeconds = 7 * 24 * 3600
    /// Secrets shorter than this are refused at boot.
    public static let minimumSecretLength = 32

    public init(secret: String, previousSecret: String? = nil, lifetimeSeconds: Int = defaultLifetimeSeconds, baseURL: String = "") {
        current = Array(secret.utf8)
        previous = previousSecret.map { Array($0.utf8) }
        self.lifetimeSeconds = lifetimeSeconds
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// A signer with a random secret, for a process given none: its URLs verify only in that
    /// process, until it stops (the intake logs a warning at boot).
    public static func ephemeral(lifetimeSeconds: Int = defaultLifetimeSeconds, baseURL: String = "") -> ImageURLSigner {
        let random = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
        return ImageURLSigner(secret: random, lifetimeSeconds: lifetimeSeconds, baseURL: baseURL)
    }

    /// The signed URL of `asset` at `width` (nil: full size), valid until at least
    /// `now + lifetimeSeconds`.
    public func url(_ asset: UUID, width: ThumbnailWidth?, now: Date = Date()) -> String {
        let expires = expiry(now: now)
        return url(asset, width: width, expires: expires)
    }

    /// The signed URL with an explicit expiry (Unix seconds).
    public func url(_ asset: UUID, width: ThumbnailWidth?, expires: Int) -> String {
        let id = asset.uuidString.lowercased()
        var query = width.map { "width=\($0.pixels)&" } ?? ""
        query += "expires=\(expires)&signature=\(Self.signature(current, asset: id, width: width, expires: expires))"
        return "\(baseURL)/v1/assets/\(id)/content?\(query)"
    }

    /// The expiry a URL made at `now` carries: `now + lifetime`, rounded up to the hour.
    public func expiry(now: Date) -> Int {
        let earliest = Int(now.timeIntervalSince1970.rounded(.up)) + lifetimeSeconds
        return (earliest + 3599) / 3600 * 3600
    }

    public enum Verdict: Sendable, Equatable {
        /// Valid until `expires` (Unix seconds).
        case valid(expires: Int)
        /// The signature does not match the asset, width and expiry under any accepted secret
        /// (tampered, truncated, or signed with a secret retired since).
        case invalid
        /// The signature matches, but the URL expired.
        case expired
    }

    /// Checks a request's `expires` and `signature` parameters for `asset` at `width`.
    public func verify(_ asset: UUID, width: ThumbnailWidth?, expires: String?, signature: String?, now: Date = Date()) -> Verdict {
        guard let expires, let seconds = Int(expires), seconds > 0, String(seconds) == expires,
              let signature, let mac = Self.decode(signature)
        else { return .invalid }
        let id = asset.uuidString.lowercased()
        let message = Self.message(asset: id, width: width, expires: seconds)
        let keys = ([current] + (previous.map { [$0] } ?? [])).map { SymmetricKey(data: $0) }
        guard keys.contains(where: { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: $0) }) else {
            return .invalid
        }
        return Double(seconds) < now.timeIntervalSince1970 ? .expired : .valid(expires: seconds)
    }

    private static func message(asset: String, width: ThumbnailWidth?, expires: Int) -> [UInt8] {
        Array("itp-image-url-v1\n\(asset)\n\(width.map { String($0.pixels) } ?? "full")\n\(expires)".utf8)
    }

    private static func signature(_ key: [UInt8], asset: String, width: ThumbnailWidth?, expires: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: message(asset: asset, width: width, expires: expires), using: SymmetricKey(data: key))
        return Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// base64url without padding → bytes; nil for anything else (or the wrong length).
    private static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count == 43 else { return nil }
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
        guard let data = Data(base64Encoded: standard), data.count == 32 else { return nil }
        return Array(data)
    }
}
