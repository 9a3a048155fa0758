public import Foundation

/// The signed URLs of one image at full size and at every thumbnail width, as the gallery
/// and the webhook payloads carry them (`images` member): what a storefront embeds in
/// `<img src>` / `srcset` on a public page, without the API key.
public struct SignedImageSet: Encodable, Sendable, Equatable {
    public var full: String
    public var w256: String
    public var w512: String
    public var w1024: String
    /// When these URLs stop working (all share one expiry); fetch the gallery again for new ones.
    public var expiresAt: Date

    public init(_ asset: UUID, signer: ImageURLSigner, now: Date = Date()) {
        let expires = signer.expiry(now: now)
        full = signer.url(asset, width: nil, expires: expires)
        w256 = signer.url(asset, width: .w256, expires: expires)
        w512 = signer.url(asset, width: .w512, expires: expires)
        w1024 = signer.url(asset, width: .w1024, expires: expires)
        expiresAt = Date(timeIntervalSince1970: TimeInterval(expires))
    }

    private enum CodingKeys: String, CodingKey {
        case full, w256, w512, w1024, expiresAt = "expires_at"
    }
}
