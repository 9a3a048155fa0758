import Foundation
import Testing

/// The library's requests at the door: malformed bodies are 400 naming the member, and an
/// unknown design or product is 404 (as another shop's is: the fleet test checks that).
@Suite("Library request validation")
struct LibraryValidationTests {
    static let design = "0b9a3c7e-5f1d-4e2a-9c8b-7d6e5f4a3b2c"

    /// (method, path, body, the field its problem must name)
    static let invalid: [(String, String, String, String?)] = [
        ("POST", "/v1/products", #"{"prompt":"fox","library_design_id":"\#(design)","product_type":"tshirt","shirt_color":"black"}"#, "library_design_id"),
        ("POST", "/v1/products", #"{"library_design_id":"nope","product_type":"tshirt","shirt_color":"black"}"#, "library_design_id"),
        ("POST", "/v1/products", #"{"library_design_id":null,"product_type":"tshirt","shirt_color":"black"}"#, "library_design_id"),
        ("POST", "/v1/products", #"{"library_design_id":"\#(design)","product_type":"tshirt","shirt_color":"black","candidates":2}"#, "candidates"),
        ("POST", "/v1/products", #"{"prompt":"fox","library_version":2,"product_type":"tshirt","shirt_color":"black"}"#, "library_version"),
        ("POST", "/v1/products", #"{"library_design_id":"\#(design)","library_version":0,"product_type":"tshirt","shirt_color":"black"}"#, "library_version"),
        ("POST", "/v1/products", #"{"library_design_id":"\#(design)","library_version":1.5,"product_type":"tshirt","shirt_color":"black"}"#, "library_version"),
        ("POST", "/v1/products", #"{"library_design_id":"\#(design)","product_type":"ballgown","shirt_color":"black"}"#, "product_type"),
        ("POST", "/v1/library/designs", #"{"name":"x"}"#, "product_id"),
        ("POST", "/v1/library/designs", #"{"product_id":"\#(design)","name":"  "}"#, "name"),
        ("POST", "/v1/library/designs", #"{"product_id":"\#(design)","name":"x","tags":null}"#, "tags"),
        ("POST", "/v1/library/designs", "{\"product_id\":\"\(design)\",\"name\":\"x\",\"tags\":[\(Array(repeating: "\"t\"", count: 21).joined(separator: ","))]}", "tags"),
        ("POST", "/v1/library/designs", #"{"product_id":"\#(design)","name":"x","colour":"red"}"#, "colour"),
        ("POST", "/v1/library/designs/\(design)/products", #"{"items":[]}"#, "items"),
        ("POST", "/v1/library/designs/\(design)/products", #"{"items":[{"product_type":"tshirt"}]}"#, "items.[0].shirt_color"),
        ("POST", "/v1/library/designs/\(design)/products", #"{"library_version":0,"items":[{"product_type":"tshirt","shirt_color":"black"}]}"#, "library_version"),
        ("GET", "/v1/library/designs?archived=maybe", "", "archived"),
        ("DELETE", "/v1/library/designs/\(design)?archive=yes", "", "archive"),
        ("POST", "/v1/library/designs/\(design)/sync", "", nil),
        ("POST", "/v1/library/designs/\(design)/sync", #"{"product_ids":[]}"#, "product_ids"),
        ("POST", "/v1/library/designs/\(design)/sync", #"{"product_ids":"all"}"#, "product_ids"),
        ("POST", "/v1/library/designs/\(design)/sync", #"{"product_ids":["\#(design)","nope"]}"#, "product_ids"),
        ("POST", "/v1/library/designs/\(design)/sync", #"{"products":["\#(design)"]}"#, "products"),
    ]

    @Test("malformed library requests are 400 validation_failed naming the member; nothing is made")
    func invalidBodies() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let replies = try await fixture.withClient { client in
                var replies: [APIClient.Reply] = []
                for (method, path, body, _) in Self.invalid {
                    replies.append(try await client.send(.init(method)!, path, as: owner, json: body.isEmpty ? nil : body))
                }
                return replies
            }
            for (reply, (method, path, body, field)) in zip(replies, Self.invalid) {
                #expect(reply.status == 400 && reply.code == "validation_failed", "\(method) \(path) \(body): \(reply.text)")
                #expect(reply.field == field, "\(method) \(path) \(body): \(reply.text)")
            }
            #expect(try await fixture.count("SELECT count(*) FROM products") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM library_designs") == 0)
        }
    }

    @Test("an unknown design or product is 404 not_found; the empty library lists nothing")
    func unknownIDs() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let replies = try await fixture.withClient { client in
                [
                    try await client.send(.get, "/v1/library/designs/\(Self.design)", as: owner),
                    try await client.send(.delete, "/v1/library/designs/\(Self.design)", as: owner),
                    try await client.send(.post, "/v1/library/designs/\(Self.design)/products", as: owner,
                                          json: #"{"items":[{"product_type":"tshirt","shirt_color":"black"}]}"#),
                    try await client.send(.post, "/v1/products", as: owner,
                                          json: #"{"library_design_id":"\#(Self.design)","product_type":"tshirt","shirt_color":"black"}"#),
                    try await client.send(.post, "/v1/library/designs", as: owner, json: #"{"product_id":"\#(Self.design)","name":"x"}"#),
                    try await client.send(.get, "/v1/library/designs/\(Self.design)/sync", as: owner),
                    try await client.send(.post, "/v1/library/designs/\(Self.design)/sync", as: owner, json: "{}"),
                    try await client.send(.get, "/v1/library/designs", as: owner),
                ]
            }
            for reply in replies.dropLast() {
                #expect(reply.status == 404 && reply.code == "not_found", "\(reply.text)")
            }
            #expect(replies.last?.status == 200 && replies.last?.json["designs"] as? [Any] != nil, "\(replies.last?.text ?? "")")
            #expect(try await fixture.count("SELECT count(*) FROM products") == 0)
        }
    }
}
