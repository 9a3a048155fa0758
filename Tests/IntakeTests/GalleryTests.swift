import Foundation
import Testing

@Suite("GET /v1/products/{id}/gallery, /designs and asset content")
struct GalleryTests {
    @Test("the gallery is exactly three slots in order, from the flags of the current selection")
    func slots() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (before, after, design, flatLay, mrImagine) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let before = try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
                let design = try await fixture.seedDesigns(product)[0][1]
                #expect(try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                              json: APIClient.selection(design)).status == 202)
                // Noise the gallery must ignore: an inactive flat-lay of this very selection.
                try await fixture.seedMockup(product, role: "mockup_flat_lay", design: design, selection: 1, active: false)
                let flatLay = try await fixture.seedMockup(product, role: "mockup_flat_lay", design: design, selection: 1)
                let mrImagine = try await fixture.seedMockup(product, role: "mockup_mr_imagine", design: design, selection: 1)
                let after = try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
                return (before, after, design, flatLay, mrImagine)
            }
            #expect(before.status == 200)
            #expect(before.json[array: "slots"].map { $0["status"] as? String } == ["pending", "pending", "pending"])
            let slots = after.json[array: "slots"]
            #expect(slots.map { $0["slot"] as? String } == ["design", "flat_lay", "mr_imagine"])
            #expect(slots.map { $0["status"] as? String } == ["ready", "ready", "ready"])
            #expect(slots.map { $0["asset_id"] as? String } == [design, flatLay, mrImagine].map { $0.uuidString.lowercased() })
            #expect(slots[1]["content_url"] as? String == ProductLinksPath.content(flatLay))
        }
    }

    @Test("a failed mr_imagine mockup shows the declared fallback: the flat-lay image")
    func failedMrImagine() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (gallery, flatLay) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let design = try await fixture.seedDesigns(product)[0][0]
                #expect(try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                              json: APIClient.selection(design)).status == 202)
                // The finalizer recorded mr_imagine's terminal failure for this selection.
                try await fixture.seedFailedMockup(product, role: "mockup_mr_imagine", design: design, selection: 1)
                let flatLay = try await fixture.seedMockup(product, role: "mockup_flat_lay", design: design, selection: 1)
                return (try await client.send(.get, APIClient.path(product, "/gallery"), as: owner), flatLay)
            }
            let slots = gallery.json[array: "slots"]
            #expect(slots.count == 3)
            #expect(slots.map { $0["status"] as? String } == ["ready", "ready", "failed"])
            #expect(slots[2]["asset_id"] == nil)
            let fallback = slots[2][object: "fallback"]
            #expect(fallback["shows"] as? String == "flat_lay")
            #expect(fallback["asset_id"] as? String == flatLay.uuidString.lowercased())
            #expect(fallback["content_url"] as? String == ProductLinksPath.content(flatLay))
            #expect(fallback["reason"] as? String == "permanent")
        }
    }

    @Test("a failure recorded for an older selection does not reach the current gallery")
    func staleFailure() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let gallery = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let designs = try await fixture.seedDesigns(product)
                #expect(try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                              json: APIClient.selection(designs[0][0])).status == 202)
                try await fixture.seedFailedMockup(product, role: "mockup_mr_imagine", design: designs[0][0], selection: 1)
                #expect(try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                              json: APIClient.selection(designs[1][0])).status == 202)
                return try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
            }
            #expect(gallery.json[array: "slots"].map { $0["status"] as? String } == ["ready", "pending", "pending"])
        }
    }

    @Test("designs are grouped by candidate with their variants; archived ones never appear; content is served")
    func designsAndContent() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (current, all, content, archivedContent, inactiveMockup, seeded) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let seeded = try await fixture.seedDesigns(product, iteration: 1, candidates: 2)
                try await fixture.execute("UPDATE products SET iteration = 2 WHERE id = \(product)")
                try await fixture.seedDesigns(product, iteration: 2, candidates: 1)
                try await fixture.execute("UPDATE product_assets SET archived_at = now() WHERE id = \(seeded[1][2])")
                let inactive = try await fixture.seedMockup(product, role: "mockup_flat_lay", design: seeded[0][0], selection: 1, active: false)
                return (
                    try await client.send(.get, APIClient.path(product, "/designs"), as: owner),
                    try await client.send(.get, APIClient.path(product, "/designs?iteration=all"), as: owner),
                    try await client.send(.get, ProductLinksPath.content(seeded[0][1]), as: owner),
                    try await client.send(.get, ProductLinksPath.content(seeded[1][2]), as: owner),
                    try await client.send(.get, ProductLinksPath.content(inactive), as: owner),
                    seeded)
            }
            #expect(current.json["iteration"] as? Int == 2)
            #expect(current.json[array: "candidates"].count == 1)
            let candidates = all.json[array: "candidates"]
            #expect(candidates.map { "\($0["iteration"] ?? "")/\($0["candidate"] ?? "")" } == ["1/0", "1/1", "2/0"])
            #expect(candidates[0][array: "variants"].map { $0["variant"] as? String } == ["original", "dtf", "background_removed"])
            #expect(candidates[1][array: "variants"].map { $0["variant"] as? String } == ["original", "dtf"])
            let ids = candidates.flatMap { $0[array: "variants"] }.compactMap { $0["asset_id"] as? String }
            #expect(!ids.contains(seeded[1][2].uuidString.lowercased()))
            #expect(content.status == 200)
            #expect(content.contentType == "image/png")
            #expect(content.body.starts(with: [0x89, 0x50, 0x4E, 0x47]) && content.text.hasSuffix("/designs/1/0-dtf.png"))
            #expect(archivedContent.status == 404)
            #expect(inactiveMockup.status == 404)
        }
    }
}
