import Foundation
import Testing

@Suite("Request validation")
struct ValidationTests {
    /// Each body and the field its problem must name (nil: the body as a whole).
    static let cases: [(String, String?)] = [
        (#"{"prompt": "", "product_type": "tshirt", "shirt_color": "black"}"#, "prompt"),
        (#"{"prompt": "   \n ", "product_type": "tshirt", "shirt_color": "black"}"#, "prompt"),
        (#"{"prompt": "a\u0000b", "product_type": "tshirt", "shirt_color": "black"}"#, "prompt"),
        ("{\"prompt\": \"\(String(repeating: "x", count: 2001))\", \"product_type\": \"tshirt\", \"shirt_color\": \"black\"}", "prompt"),
        // 2001 characters as sent, 2000 after trimming: the document's maxLength counts what is sent.
        ("{\"prompt\": \"\\t\(String(repeating: "x", count: 2000))\", \"product_type\": \"tshirt\", \"shirt_color\": \"black\"}", "prompt"),
        (#"{"product_type": "tshirt", "shirt_color": "black"}"#, "prompt"),
        (#"{"prompt": 5, "product_type": "tshirt", "shirt_color": "black"}"#, "prompt"),
        (#"{"prompt": null, "product_type": "tshirt", "shirt_color": "black"}"#, "prompt"),
        (#"{"prompt": "fox", "product_type": "ballgown", "shirt_color": "black"}"#, "product_type"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "plaid"}"#, "shirt_color"),
        (#"{"prompt": "fox", "product_type": ["tshirt"], "shirt_color": "black"}"#, "product_type"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "black", "candidates": 9}"#, "candidates"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "black", "candidates": 0}"#, "candidates"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "black", "candidates": "4"}"#, "candidates"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "black", "candidates": 2.5}"#, "candidates"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "black", "candidates": true}"#, "candidates"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "black", "candidates": null}"#, "candidates"),
        (#"{"prompt": "fox", "product_type": "tshirt", "shirt_color": "black", "candiates": 4}"#, "candiates"),
        (#"{"prompt": "fox", "product_type": "tshirt""#, nil),
        ("not json at all", nil),
        ("[1, 2, 3]", nil),
        ("\"a string\"", nil),
        ("", nil),
    ]

    @Test("invalid bodies are 400 validation_failed naming the field; nothing is created")
    func invalidBodies() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let replies = try await fixture.withClient { client in
                var replies: [APIClient.Reply] = []
                for (body, _) in Self.cases {
                    replies.append(try await client.send(.post, "/v1/products", as: owner, json: body))
                }
                return replies
            }
            for (reply, (body, field)) in zip(replies, Self.cases) {
                #expect(reply.status == 400, "\(body.prefix(80))")
                #expect(reply.code == "validation_failed", "\(body.prefix(80))")
                #expect(reply.field == field, "\(body.prefix(80)): \(reply.text)")
                #expect(reply.json["type"] as? String == "urn:itp:problem:validation_failed")
                #expect(reply.json["status"] as? Int == 400)
                #expect(reply.json["title"] is String && reply.json["detail"] is String)
            }
            #expect(try await fixture.count("SELECT count(*) FROM products") == 0)
        }
    }

    @Test("an oversize body is 413 payload_too_large")
    func oversize() async throws {
        try await IntakeFixture.with(maxBodyBytes: 4096) { fixture in
            let owner = try await fixture.makeOwner()
            let body = "{\"prompt\": \"\(String(repeating: "x", count: 5000))\", \"product_type\": \"tshirt\", \"shirt_color\": \"black\"}"
            let reply = try await fixture.withClient { try await $0.send(.post, "/v1/products", as: owner, json: body) }
            #expect(reply.status == 413)
            #expect(reply.code == "payload_too_large")
            #expect(try await fixture.count("SELECT count(*) FROM products") == 0)
        }
    }

    @Test("selection and regenerate bodies are validated too")
    func otherBodies() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let replies = try await fixture.withClient { client in
                let id = try #require(try await client.send(.post, "/v1/products", as: owner, json: CreateProductTests.body).id)
                let base = "/v1/products/\(id.uuidString.lowercased())"
                return [
                    try await client.send(.post, base + "/selection", as: owner, json: #"{"asset_id": "nope"}"#),
                    try await client.send(.post, base + "/selection", as: owner, json: #"{"asset_id": 7}"#),
                    try await client.send(.post, base + "/selection", as: owner, json: #"{"asset": "x"}"#),
                    try await client.send(.post, base + "/regenerate", as: owner, json: #"{"feedback": ""}"#),
                    try await client.send(.post, base + "/regenerate", as: owner, json: #"{"feedback": "ok", "more": 1}"#),
                    try await client.send(.get, base + "/designs?iteration=some", as: owner),
                ]
            }
            #expect(replies.map(\.status) == [400, 400, 400, 400, 400, 400])
            #expect(replies.map(\.field) == ["asset_id", "asset_id", "asset", "feedback", "more", "iteration"])
        }
    }
}
