import FleetTesting
import Foundation
import Postgres
import Testing

/// `itp-admin products show` lists every iteration of designs with the feedback of each
/// regeneration (issue 13), not only inside `jobs.payload`.
@Suite struct AdminProductIterationTests {
    @Test func productsShowListsEachIterationWithItsFeedback() async throws {
        let fixture = try await AdminFixture.make("admin_iterations")
        let owner = uniqueName("owner")
        let queue = fixture.queue.name
        let product = try await fixture.sql { connection in
            try connection.transaction { connection in
                let ownerID = try connection.query("INSERT INTO owners (name) VALUES (\(owner)) RETURNING id")[0].decode(UUID.self, at: 0)
                let product = try connection.query("""
                    INSERT INTO products (owner_id, prompt, product_type, shirt_color, iteration, status)
                    VALUES (\(ownerID), 'a fox', 'tshirt', 'black', 2, 'generating_designs') RETURNING id
                    """)[0].decode(UUID.self, at: 0)
                for (iteration, feedback) in [(1, nil), (2, "more orange, fewer trees")] as [(Int, String?)] {
                    let feedbackJSON = feedback.map { #","feedback":"\#($0)""# } ?? ""
                    let payload = PostgresJSON(text: """
                        {"product_id":"\(product.uuidString.lowercased())","iteration":\(iteration),"candidates":1,"prompt":"a fox",
                         "product_type":"tshirt","shirt_color":"black","seed":1\(feedbackJSON)}
                        """)
                    try connection.execute("""
                        INSERT INTO jobs (kind, queue, product_id, payload, iteration)
                        VALUES ('design.generate', \(queue), \(product), \(payload)::jsonb, \(iteration))
                        """)
                }
                return product
            }
        }
        let shown = try await fixture.admin(["products", "show", product.uuidString])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("iterations (2):"), "\(shown.stdout)")
        #expect(shown.stdout.contains("more orange, fewer trees"), "\(shown.stdout)")
        #expect(shown.stdout.contains("(first generation, from the prompt)"), "\(shown.stdout)")
        let detail = try #require(try await fixture.admin(["products", "show", product.uuidString, "--json"]).json() as? [String: Any])
        let iterations = try #require(detail["iterations"] as? [[String: Any]])
        #expect(iterations.map { $0["iteration"] as? Int } == [1, 2])
        #expect(iterations.map { $0["feedback"] as? String } == [nil, "more orange, fewer trees"])
        await fixture.tearDown()
    }
}
