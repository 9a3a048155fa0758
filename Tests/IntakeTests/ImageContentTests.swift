import AssetImages
import Foundation
import HTTPTypes
import PNG
import Storage
import Testing

@Suite("GET /v1/assets/{id}/content: thumbnails, ETag, 304")
struct ImageContentTests {
    @Test("width=256/512/1024 serves a PNG thumbnail made once and cached in asset storage; ETag and Cache-Control on every response")
    func thumbnails() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let (asset, png, key) = try await fixture.seedImage(product, width: 1500, height: 1000)
                let path = ProductLinksPath.content(asset)

                let full = try await client.send(.get, path, as: owner)
                #expect(full.status == 200 && full.body == png && full.contentType == "image/png")
                let hex = ContentDigest.sha256(png).map { String(format: "%02x", $0) }.joined()
                #expect(full.headers[.eTag] == "\"\(hex)\"")
                #expect(full.headers[.cacheControl] == "private, max-age=3600")

                for (width, height) in [(256, 171), (512, 341), (1024, 683)] {
                    let thumb = try await client.send(.get, path + "?width=\(width)", as: owner)
                    #expect(thumb.status == 200 && thumb.contentType == "image/png")
                    let header = try PNGDecoder.header(of: thumb.body)
                    #expect(header.width == width && header.height == height)
                    #expect(thumb.headers[.eTag] == "\"\(hex)-w\(width)-r\(ThumbnailKey.rendererVersion)\"")
                    #expect(thumb.headers[.cacheControl] == "private, max-age=3600")
                    // Kept in asset storage under the derived key: the next request reads it.
                    let thumbnailWidth = try #require(ThumbnailWidth(rawValue: width))
                    let cached = try await fixture.storage.get(try ThumbnailKey.derived(from: try StorageKey(key), width: thumbnailWidth))
                    #expect(cached == thumb.body)
                }
                // Served from the cache even with the original gone: made once.
                try await fixture.storage.delete(try StorageKey(key))
                let again = try await client.send(.get, path + "?width=512", as: owner)
                #expect(again.status == 200)
                #expect(try PNGDecoder.header(of: again.body).width == 512)
            }
        }
    }

    @Test("If-None-Match with the current tag answers 304 with ETag and no body, full size and thumbnails")
    func notModified() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let (asset, _, _) = try await fixture.seedImage(product, width: 700, height: 300)
                for query in ["", "?width=256", "?width=1024"] {
                    let path = ProductLinksPath.content(asset) + query
                    let first = try await client.send(.get, path, as: owner)
                    let tag = try #require(first.headers[.eTag])
                    let cached = try await client.send(.get, path, as: owner, headers: [.ifNoneMatch: tag])
                    #expect(cached.status == 304 && cached.body.isEmpty, "\(query)")
                    #expect(cached.headers[.eTag] == tag && cached.headers[.cacheControl] != nil)
                    let listed = try await client.send(.get, path, as: owner, headers: [.ifNoneMatch: "\"other\", \(tag)"])
                    #expect(listed.status == 304)
                    let stale = try await client.send(.get, path, as: owner, headers: [.ifNoneMatch: "\"other\""])
                    #expect(stale.status == 200 && !stale.body.isEmpty)
                }
                // 1024 is wider than the image: the original is served, under the original's tag.
                let original = try await client.send(.get, ProductLinksPath.content(asset), as: owner)
                let wide = try await client.send(.get, ProductLinksPath.content(asset) + "?width=1024", as: owner)
                #expect(wide.body == original.body && wide.headers[.eTag] == original.headers[.eTag])
            }
        }
    }

    @Test("a width outside 256, 512, 1024 is a 400 problem naming width; someone else's asset is 404")
    func badWidth() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(), other = try await fixture.makeOwner()
            try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let (asset, _, _) = try await fixture.seedImage(product, width: 600, height: 600)
                for width in ["300", "0", "abc", "2048", ""] {
                    let reply = try await client.send(.get, ProductLinksPath.content(asset) + "?width=\(width)", as: owner)
                    #expect(reply.status == 400 && reply.code == "validation_failed" && reply.field == "width", "\(width)")
                }
                #expect(try await client.send(.get, ProductLinksPath.content(asset) + "?width=256", as: other).status == 404)
                #expect(try await client.send(.get, ProductLinksPath.content(asset) + "?width=256", as: nil).status == 401)
            }
        }
    }
}
