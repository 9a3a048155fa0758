import FleetTesting
import Foundation
import Testing

/// `GET /v1/products`: the shop's products newest first, a page at a time, by status.
@Suite struct ProductListTests {
    @Test func pagesWalkEveryProductNewestFirstWithoutGapsOrRepeats() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 20), other = try await fixture.makeOwner()
            try await fixture.withClient { api in
                var made: [UUID] = []
                for _ in 0..<7 { made.append(try await api.createProduct(owner)) }
                _ = try await api.createProduct(other)
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await api.send(.get, "/v1/products?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), as: owner)
                    #expect(page.status == 200)
                    let items = page.json[array: "items"]
                    #expect(items.count <= 3)
                    seen += items.compactMap { $0["id"] as? String }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil
                #expect(seen == made.reversed().map { $0.uuidString.lowercased() })
            }
        }
    }

    @Test func aStatusFilterAndTheSelectedDesignsThumbnail() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 20)
            try await fixture.withClient { api in
                let waiting = try await api.createProduct(owner)
                _ = try await api.createProduct(owner)
                let designs = try await fixture.seedDesigns(waiting)
                let filtered = try await api.send(.get, "/v1/products?status=awaiting_selection", as: owner)
                #expect(filtered.json[array: "items"].map { $0["id"] as? String } == [waiting.uuidString.lowercased()])
                #expect(filtered.json[array: "items"].first?["thumbnail_url"] == nil, "nothing selected yet")
                let selected = try await api.send(.post, APIClient.path(waiting, "/selection"), as: owner, json: APIClient.selection(designs[0][0]))
                #expect(selected.status == 202)
                let all = try await api.send(.get, "/v1/products", as: owner)
                let item = try #require(all.json[array: "items"].first { $0["id"] as? String == waiting.uuidString.lowercased() })
                #expect(item["design_asset_id"] as? String == designs[0][0].uuidString.lowercased())
                #expect((item["thumbnail_url"] as? String)?.hasSuffix("/content?width=256") == true)
            }
        }
    }

    @Test func badParametersAreNamedAndAnotherShopsCursorIsNotFound() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 20), other = try await fixture.makeOwner(credits: 20)
            try await fixture.withClient { api in
                for _ in 0..<2 { _ = try await api.createProduct(other) }
                let otherPage = try await api.send(.get, "/v1/products?limit=1", as: other)
                let foreignCursor = try #require(otherPage.json["next_cursor"] as? String)
                for (query, field) in [("status=shipped", "status"), ("limit=0", "limit"), ("limit=101", "limit"), ("limit=x", "limit"),
                                       ("cursor=not-a-cursor", "cursor"), ("cursor=", "cursor"), ("status=", "status")] {
                    let reply = try await api.send(.get, "/v1/products?\(query)", as: owner)
                    #expect(reply.status == 400, "\(query)")
                    #expect(reply.field == field, "\(query): \(reply.text)")
                }
                for cursor in [foreignCursor, UUID().uuidString] {
                    let reply = try await api.send(.get, "/v1/products?cursor=\(cursor)", as: owner)
                    #expect(reply.status == 404, "another shop's or an unknown cursor: \(reply.text)")
                    #expect(reply.code == "not_found")
                }
                let empty = try await api.send(.get, "/v1/products", as: owner)
                #expect(empty.json[array: "items"].isEmpty)
                #expect(empty.json["next_cursor"] == nil)
            }
        }
    }
}
