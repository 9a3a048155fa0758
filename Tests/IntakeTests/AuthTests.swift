import Foundation
import HTTPTypes
import Testing

@Suite("Authentication, ownership and rate limiting")
struct AuthTests {
    @Test("missing, malformed, unknown and revoked keys are 401 unauthorized")
    func unauthorized() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            try await fixture.execute("UPDATE api_keys SET revoked_at = now() WHERE prefix = \(owner.prefix)")
            let wrongSecret = IntakeFixture.Owner(id: owner.id, key: "itp_\(owner.prefix)_" + String(repeating: "a", count: 32), prefix: owner.prefix)
            let replies = try await fixture.withClient { client in
                [
                    try await client.send(.get, "/v1/products/\(UUID())", as: nil),
                    try await client.send(.get, "/v1/products/\(UUID())", as: nil, headers: [.authorization: "Basic Zm9vOmJhcg=="]),
                    try await client.send(.get, "/v1/products/\(UUID())", as: nil, headers: [.authorization: "Bearer nope"]),
                    try await client.send(.post, "/v1/products", as: wrongSecret, json: CreateProductTests.body),
                    try await client.send(.post, "/v1/products", as: owner, json: CreateProductTests.body),
                ]
            }
            #expect(replies.map(\.status) == [401, 401, 401, 401, 401])
            #expect(replies.allSatisfy { $0.code == "unauthorized" })
            #expect(try await fixture.count("SELECT count(*) FROM products") == 0)
        }
    }

    @Test("another owner's product and assets are 404, exactly like ids that do not exist")
    func crossOwner() async throws {
        try await IntakeFixture.with { fixture in
            let alice = try await fixture.makeOwner()
            let mallory = try await fixture.makeOwner()
            let (product, design, replies) = try await fixture.withClient { client in
                let product = try await client.createProduct(alice)
                let design = try await fixture.seedDesigns(product)[0][0]
                let base = APIClient.path(product)
                let replies = [
                    try await client.send(.get, base, as: mallory),
                    try await client.send(.get, base + "/designs", as: mallory),
                    try await client.send(.get, base + "/gallery", as: mallory),
                    try await client.send(.get, base + "/events", as: mallory),
                    try await client.send(.post, base + "/selection", as: mallory, json: APIClient.selection(design)),
                    try await client.send(.post, base + "/regenerate", as: mallory, json: #"{"feedback": "more foxes"}"#),
                    try await client.send(.post, base + "/cancel", as: mallory),
                    try await client.send(.get, ProductLinksPath.content(design), as: mallory),
                    try await client.send(.get, APIClient.path(UUID()), as: mallory),
                ]
                // A malformed id names nothing at all: 400 (issue 13), not 404.
                let malformed = try await client.send(.get, "/v1/products/not-a-uuid", as: mallory)
                #expect(malformed.status == 400)
                #expect(malformed.field == "id")
                // The owner still sees all of it.
                #expect(try await client.send(.get, base, as: alice).status == 200)
                #expect(try await client.send(.get, ProductLinksPath.content(design), as: alice).status == 200)
                return (product, design, replies)
            }
            #expect(replies.map(\.status) == Array(repeating: 404, count: replies.count))
            #expect(replies.allSatisfy { $0.code == "not_found" })
            #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE id = \(design) AND is_primary_design") == 0)
            #expect(try await fixture.value(String.self, "SELECT status::text FROM products WHERE id = \(product)") == "awaiting_selection")
        }
    }

    @Test("a spent token bucket is 429 rate_limited with Retry-After")
    func rateLimited() async throws {
        try await IntakeFixture.with(rateLimit: .init(burst: 3, perSecond: 0.01)) { fixture in
            let owner = try await fixture.makeOwner()
            let other = try await fixture.makeOwner()
            let (statuses, limited, otherStatus) = try await fixture.withClient { client in
                var statuses: [Int] = []
                for _ in 0..<3 { statuses.append(try await client.send(.get, APIClient.path(UUID()), as: owner).status) }
                let limited = try await client.send(.get, APIClient.path(UUID()), as: owner)
                let otherStatus = try await client.send(.get, APIClient.path(UUID()), as: other).status
                return (statuses, limited, otherStatus)
            }
            #expect(statuses == [404, 404, 404])
            #expect(limited.status == 429)
            #expect(limited.code == "rate_limited")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect(retryAfter >= 1 && retryAfter <= 100)
            // Buckets are per key.
            #expect(otherStatus == 404)
        }
    }
}

/// The content URL of an asset, as the API spells it.
enum ProductLinksPath {
    static func content(_ asset: UUID) -> String { "/v1/assets/\(asset.uuidString.lowercased())/content" }
}
