import AssetImages
import Foundation
import Testing

@Suite("ImageURLSigner")
struct ImageURLSignerTests {
    static let secret = String(repeating: "a", count: 32) + "-current"
    static let old = String(repeating: "b", count: 32) + "-old"
    let asset = UUID()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// `expires` and `signature` of a URL the signer made.
    static func parameters(_ url: String) -> (width: String?, expires: String?, signature: String?) {
        let items = URLComponents(string: "http://x" + url)?.queryItems ?? []
        let value = { (name: String) in items.first { $0.name == name }?.value }
        return (value("width"), value("expires"), value("signature"))
    }

    @Test("a URL verifies for its asset and width until it expires, rounded up to the hour")
    func valid() throws {
        let signer = ImageURLSigner(secret: Self.secret, lifetimeSeconds: 3600)
        let url = signer.url(asset, width: .w512, now: now)
        #expect(url.hasPrefix("/v1/assets/\(asset.uuidString.lowercased())/content?width=512&expires="))
        let (_, expires, signature) = Self.parameters(url)
        let seconds = try #require(expires.flatMap(Int.init))
        #expect(seconds % 3600 == 0 && seconds >= 1_800_003_600 && seconds < 1_800_007_200)
        #expect(signer.verify(asset, width: .w512, expires: expires, signature: signature, now: now) == .valid(expires: seconds))
        #expect(signer.verify(asset, width: .w512, expires: expires, signature: signature,
                              now: Date(timeIntervalSince1970: Double(seconds + 1))) == .expired)
    }

    @Test("any change to asset, width, expiry or signature is invalid")
    func tampered() {
        let signer = ImageURLSigner(secret: Self.secret)
        let (_, expires, signature) = Self.parameters(signer.url(asset, width: .w256, now: now))
        #expect(signer.verify(UUID(), width: .w256, expires: expires, signature: signature, now: now) == .invalid)
        #expect(signer.verify(asset, width: .w1024, expires: expires, signature: signature, now: now) == .invalid)
        #expect(signer.verify(asset, width: nil, expires: expires, signature: signature, now: now) == .invalid)
        #expect(signer.verify(asset, width: .w256, expires: expires.map { $0 + "0" }, signature: signature, now: now) == .invalid)
        let flipped = signature.map { ($0.first == "A" ? "B" : "A") + $0.dropFirst() }
        #expect(signer.verify(asset, width: .w256, expires: expires, signature: flipped, now: now) == .invalid)
        #expect(signer.verify(asset, width: .w256, expires: expires, signature: nil, now: now) == .invalid)
        #expect(signer.verify(asset, width: .w256, expires: nil, signature: signature, now: now) == .invalid)
        #expect(ImageURLSigner(secret: Self.old).verify(asset, width: .w256, expires: expires, signature: signature, now: now) == .invalid)
    }

    @Test("rotation: URLs signed with the previous secret keep working, and stop when it is dropped")
    func rotation() {
        let before = ImageURLSigner(secret: Self.old)
        let (_, expires, signature) = Self.parameters(before.url(asset, width: nil, now: now))
        let rotated = ImageURLSigner(secret: Self.secret, previousSecret: Self.old)
        #expect(rotated.verify(asset, width: nil, expires: expires, signature: signature, now: now) != .invalid)
        let fresh = Self.parameters(rotated.url(asset, width: nil, now: now))
        #expect(fresh.signature != signature, "new URLs are signed with the new secret")
        #expect(ImageURLSigner(secret: Self.secret).verify(asset, width: nil, expires: fresh.expires, signature: fresh.signature, now: now) != .invalid)
        #expect(ImageURLSigner(secret: Self.secret).verify(asset, width: nil, expires: expires, signature: signature, now: now) == .invalid)
    }

    @Test("a base URL prefixes every URL; the set carries full size and every width")
    func set() {
        let signer = ImageURLSigner(secret: Self.secret, baseURL: "https://api.example.com/")
        let images = SignedImageSet(asset, signer: signer, now: now)
        #expect(images.full.hasPrefix("https://api.example.com/v1/assets/") && !images.full.contains("width="))
        #expect(images.w256.contains("width=256&") && images.w512.contains("width=512&") && images.w1024.contains("width=1024&"))
        #expect(images.expiresAt.timeIntervalSince1970 == Double(signer.expiry(now: now)))
    }
}
