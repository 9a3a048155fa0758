import AssetImages
import Foundation
import HTTPTypes
import PNG
import Testing

@Suite("Signed image URLs")
struct SignedImageURLTests {
    static let secret = "current-secret-for-tests-0123456789abcdef"
    static let old = "previous-secret-for-tests-0123456789abcdef"

    @Test("the gallery's signed URLs work without the API key, publicly cacheable, with 304")
    func gallery() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            try await fixture.withClient(configure: { $0.imageURLs = ImageURLSigner(secret: Self.secret) }) { client in
                let product = try await client.createProduct(owner)
                let (asset, png, _) = try await fixture.seedImage(product, width: 900, height: 900)
                try await fixture.execute("UPDATE products SET status = 'awaiting_selection' WHERE id = \(product)")
                #expect(try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                              json: APIClient.selection(asset)).status == 202)
                let gallery = try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
                let design = gallery.json[array: "slots"][0]
                let images = design[object: "images"]
                #expect(gallery.json[array: "slots"][1]["images"] == nil, "a pending slot has no image")
                let full = try #require(images["full"] as? String)
                let thumb = try #require(images["w256"] as? String)
                #expect(images["expires_at"] is String)

                let fullReply = try await client.send(.get, full, as: nil)
                #expect(fullReply.status == 200 && fullReply.body == png)
                let cacheControl = try #require(fullReply.headers[.cacheControl])
                #expect(cacheControl.hasPrefix("public, max-age="))
                let maxAge = try #require(Int(cacheControl.dropFirst("public, max-age=".count)))
                #expect(maxAge > 0 && maxAge <= 86_400)

                let thumbReply = try await client.send(.get, thumb, as: nil)
                #expect(thumbReply.status == 200)
                #expect(try PNGDecoder.header(of: thumbReply.body).width == 256)
                let tag = try #require(thumbReply.headers[.eTag])
                let revalidated = try await client.send(.get, thumb, as: nil, headers: [.ifNoneMatch: tag])
                #expect(revalidated.status == 304 && revalidated.body.isEmpty)
            }
        }
    }

    @Test("tampered, expired, unsigned or cross-asset URLs are 403 problems; a rotated secret keeps old URLs")
    func refused() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let product = try await fixture.withClient { try await $0.createProduct(owner) }
            let (asset, _, _) = try await fixture.seedImage(product, width: 600, height: 400)
            let (other, _, _) = try await fixture.seedImage(product, width: 600, height: 400)
            let before = ImageURLSigner(secret: Self.old)
            let oldURL = before.url(asset, width: .w512)

            try await fixture.withClient(configure: {
                $0.imageURLs = ImageURLSigner(secret: Self.secret, previousSecret: Self.old)
            }) { client in
                let signer = ImageURLSigner(secret: Self.secret)
                let url = signer.url(asset, width: .w256)
                #expect(try await client.send(.get, url, as: nil).status == 200)
                #expect(try await client.send(.get, oldURL, as: nil).status == 200, "signed before the rotation, not expired")

                let cases: [(String, String)] = [
                    (url.replacingOccurrences(of: "width=256", with: "width=512"), "signature_invalid"),
                    (url.replacingOccurrences(of: asset.uuidString.lowercased(), with: other.uuidString.lowercased()), "signature_invalid"),
                    (url.replacingOccurrences(of: "expires=", with: "expires=1"), "signature_invalid"),
                    (String(url.dropLast(2)) + "AA", "signature_invalid"),
                    (ProductLinksPath.content(asset) + "?expires=9999999999", "signature_invalid"),
                    (signer.url(asset, width: .w256, expires: Int(Date().timeIntervalSince1970) - 60), "url_expired"),
                    (ImageURLSigner(secret: String(repeating: "z", count: 40)).url(asset, width: nil), "signature_invalid"),
                ]
                for (path, code) in cases {
                    let reply = try await client.send(.get, path, as: nil)
                    #expect(reply.status == 403 && reply.code == code && reply.contentType == "application/problem+json", "\(path)")
                }
                // Without signature parameters the key is required, as before.
                #expect(try await client.send(.get, ProductLinksPath.content(asset), as: nil).status == 401)
            }

            // The previous secret dropped: the old URL stops working.
            try await fixture.withClient(configure: { $0.imageURLs = ImageURLSigner(secret: Self.secret) }) { client in
                let reply = try await client.send(.get, oldURL, as: nil)
                #expect(reply.status == 403 && reply.code == "signature_invalid")
            }
        }
    }
}
