import Foundation
import Testing

@Suite("POST /v1/products/{id}/selection")
struct SelectionTests {
    @Test("selection makes one active primary, bumps the version and queues both mockups")
    func select() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (product, designs, reply) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let designs = try await fixture.seedDesigns(product, candidates: 3)
                let reply = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                  json: APIClient.selection(designs[1][0]))
                return (product, designs, reply)
            }
            #expect(reply.status == 202)
            #expect(reply.json["status"] as? String == "generating_mockups")
            #expect(reply.json["selection_version"] as? Int == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM product_assets WHERE product_id = \(product) AND is_primary_design AND is_active AND id = \(designs[1][0])
                """) == 1)
            #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product) AND is_active") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product) AND pending_selection") == 0)
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(product) AND selection_version = 1 AND state = 'queued'
                  AND kind IN ('mockup.flat_lay', 'mockup.mr_imagine') AND lower(payload->>'design_asset_id') = \(designs[1][0].uuidString.lowercased())
                """) == 2)
            #expect(try await fixture.count("""
                SELECT count(*) FROM outbox WHERE routing_key IN ('mockup.flat_lay', 'mockup.mr_imagine')
                """) == 2)
        }
    }

    @Test("20 concurrent selections: exactly one primary, mockup jobs live only for the final selection")
    func concurrentSelections() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (product, statuses) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let designs = try await fixture.seedDesigns(product, candidates: 4).flatMap { $0 }
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<20 {
                        let asset = designs[index % designs.count]
                        group.addTask {
                            try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                  json: APIClient.selection(asset)).status
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                return (product, statuses)
            }
            #expect(statuses.allSatisfy { $0 == 202 }, "\(statuses)")
            let version = try await fixture.value(Int.self, "SELECT selection_version FROM products WHERE id = \(product)")
            #expect(version >= 1 && version <= 20)
            #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product) AND is_primary_design") == 1)
            #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product) AND is_active") == 1)
            let primary = try await fixture.value(UUID.self, "SELECT id FROM product_assets WHERE product_id = \(product) AND is_primary_design")
            // Live (queued) mockup jobs: exactly one of each kind, for the final selection and its primary.
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(product) AND kind LIKE 'mockup.%' AND state = 'queued'
                """) == 2)
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(product) AND kind LIKE 'mockup.%' AND state = 'queued'
                  AND selection_version = \(version) AND lower(payload->>'design_asset_id') = \(primary.uuidString.lowercased())
                """) == 2)
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(product) AND kind LIKE 'mockup.%'
                  AND state <> 'superseded' AND selection_version <> \(version)
                """) == 0)
            #expect(try await fixture.value(String.self, "SELECT status::text FROM products WHERE id = \(product)") == "generating_mockups")
        }
    }

    @Test("re-selection after ready_for_sale archives the old primary and its mockups")
    func reselectAfterReady() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (product, designs, reply, gallery, listed) = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let designs = try await fixture.seedDesigns(product, candidates: 2)
                #expect(try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                              json: APIClient.selection(designs[0][0])).status == 202)
                // The mockup workers and the finalizer did their part.
                try await fixture.execute("""
                    UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE product_id = \(product) AND kind LIKE 'mockup.%'
                    """)
                try await fixture.seedMockup(product, role: "mockup_flat_lay", design: designs[0][0], selection: 1)
                try await fixture.seedMockup(product, role: "mockup_mr_imagine", design: designs[0][0], selection: 1)
                try await fixture.execute("UPDATE products SET status = 'ready_for_sale', ready_at = now() WHERE id = \(product)")

                let reply = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                  json: APIClient.selection(designs[1][1]))
                let gallery = try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
                let listed = try await client.send(.get, APIClient.path(product, "/designs"), as: owner)
                return (product, designs, reply, gallery, listed)
            }
            #expect(reply.status == 202)
            #expect(reply.json["selection_version"] as? Int == 2)
            #expect(reply.json["status"] as? String == "generating_mockups")
            // The old primary is archived, the old mockups too; the new primary is the only active asset.
            #expect(try await fixture.count("""
                SELECT count(*) FROM product_assets WHERE id = \(designs[0][0])
                  AND NOT is_primary_design AND NOT is_active AND archived_at IS NOT NULL
                """) == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM product_assets WHERE product_id = \(product) AND asset_role <> 'design'
                  AND (is_active OR archived_at IS NULL)
                """) == 0)
            #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product) AND is_active") == 1)
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(product) AND state = 'queued' AND selection_version = 2
                """) == 2)
            // Neither the archived design nor the archived mockups are shown anywhere.
            let slots = gallery.json[array: "slots"]
            #expect(slots.map { $0["slot"] as? String } == ["design", "flat_lay", "mr_imagine"])
            #expect(slots.map { $0["status"] as? String } == ["ready", "pending", "pending"])
            #expect(slots[0]["asset_id"] as? String == designs[1][1].uuidString.lowercased())
            let listedIDs = listed.json[array: "candidates"].flatMap { $0[array: "variants"] }.compactMap { $0["asset_id"] as? String }
            #expect(!listedIDs.contains(designs[0][0].uuidString.lowercased()))
            #expect(listedIDs.count == 5)
        }
    }

    @Test("selection is refused outside the selectable states and for foreign assets")
    func refused() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let replies = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                let other = try await client.createProduct(owner)
                let foreign = try await fixture.seedDesigns(other)[0][0]
                let early = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                  json: APIClient.selection(foreign))
                try await fixture.seedDesigns(product)
                let notMine = try await client.send(.post, APIClient.path(product, "/selection"), as: owner,
                                                    json: APIClient.selection(foreign))
                return [early, notMine]
            }
            #expect(replies[0].status == 409)
            #expect(replies[0].code == "invalid_state")
            #expect(replies[1].status == 400)
            #expect(replies[1].field == "asset_id")
        }
    }
}
