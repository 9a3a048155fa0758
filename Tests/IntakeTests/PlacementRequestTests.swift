import Foundation
import Testing

/// `placement` on create: a preset or an explicit box, validated against the product type,
/// stored on the product, shown by the product and gallery views and in the design job.
@Suite("POST /v1/products placement")
struct PlacementRequestTests {
    static func body(_ placement: String?, type: String = "tshirt") -> String {
        let member = placement.map { #", "placement": \#($0)"# } ?? ""
        return #"{"prompt": "a fox in a forest", "product_type": "\#(type)", "shirt_color": "black"\#(member)}"#
    }

    @Test("a preset is stored, shown by the product and gallery views, and carried by the design job")
    func preset() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let (product, gallery, id) = try await fixture.withClient { client in
                let id = try await client.createProduct(owner, body: Self.body(#""left_chest""#))
                let product = try await client.send(.get, APIClient.path(id), as: owner)
                let gallery = try await client.send(.get, APIClient.path(id, "/gallery"), as: owner)
                return (product, gallery, id)
            }
            let placement = product.json[object: "placement"]
            #expect(placement["preset"] as? String == "left_chest")
            #expect(placement["side"] as? String == "front")
            #expect(placement["width_mm"] as? Double == 90)
            #expect(gallery.json[object: "placement"]["preset"] as? String == "left_chest")
            #expect(try await fixture.count("""
                SELECT count(*) FROM jobs WHERE product_id = \(id) AND kind = 'design.generate'
                  AND payload->'placement'->>'preset' = 'left_chest' AND (payload->'placement'->>'width_mm')::numeric = 90
                """) == 1)
        }
    }

    @Test("omitted, the type's default preset applies")
    func defaultPreset() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let id = try await fixture.withClient { try await $0.createProduct(owner, body: Self.body(nil, type: "hoodie")) }
            #expect(try await fixture.count("""
                SELECT count(*) FROM products WHERE id = \(id) AND placement->>'preset' = 'full_front'
                  AND (placement->>'width_mm')::numeric = 276 AND placement->>'side' = 'front'
                """) == 1)
        }
    }

    @Test("an explicit box is kept; without height_mm it reaches the area's bottom edge")
    func explicitBox() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let id = try await fixture.withClient {
                try await $0.createProduct(owner, body: Self.body(#"{"side": "back", "x_mm": 50, "y_mm": 40, "width_mm": 200}"#))
            }
            #expect(try await fixture.count("""
                SELECT count(*) FROM products WHERE id = \(id) AND placement->>'side' = 'back' AND placement->'preset' = 'null'::jsonb
                  AND (placement->>'x_mm')::numeric = 50 AND (placement->>'height_mm')::numeric = 350
                """) == 1)
        }
    }

    @Test("invalid placements answer 400 naming the member, and reserve nothing", arguments: [
        (#""sleeve""#, "placement"),
        (#"42"#, "placement"),
        (#"null"#, "placement"),
        (#"{"x_mm": 0, "y_mm": 0}"#, "placement.width_mm"),
        (#"{"x_mm": 250, "y_mm": 0, "width_mm": 100}"#, "placement.width_mm"),
        (#"{"x_mm": 0, "y_mm": 0, "width_mm": 5}"#, "placement.width_mm"),
        (#"{"x_mm": -1, "y_mm": 0, "width_mm": 50}"#, "placement.x_mm"),
        (#"{"x_mm": 0, "y_mm": 300, "width_mm": 50, "height_mm": 100}"#, "placement.height_mm"),
        (#"{"side": "sleeve", "x_mm": 0, "y_mm": 0, "width_mm": 50}"#, "placement.side"),
        (#"{"x_mm": 0, "y_mm": 0, "width_mm": 50, "depth_mm": 3}"#, "placement.depth_mm"),
        (#"{"x_mm": 0, "y_mm": 0, "width_mm": 50, "height_mm": null}"#, "placement.height_mm"),
        (#"{"side": null, "x_mm": 0, "y_mm": 0, "width_mm": 50}"#, "placement.side"),
    ])
    func invalid(_ item: (String, String)) async throws {
        let (placement, field) = item
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner(credits: 5)
            let reply = try await fixture.withClient {
                try await $0.send(.post, "/v1/products", as: owner, json: Self.body(placement))
            }
            #expect(reply.status == 400)
            #expect(reply.json["code"] as? String == "validation_failed")
            #expect(reply.field == field, "\(placement): \(reply.json)")
            #expect(try await fixture.balance(owner) == 5)
        }
    }
}
