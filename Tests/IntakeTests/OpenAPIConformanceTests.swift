import Foundation
import Intake
import Testing

@Suite("OpenAPI conformance")
struct OpenAPIConformanceTests {
    @Test("the document's operations are exactly the routes the server registers")
    func sameOperations() {
        let documented = Set(OpenAPIContract.shared.operations.keys.map { "\($0.method) \($0.path)" })
        let routed = Set(IntakeRoute.all.map(\.description))
        #expect(documented == routed, "only documented: \(documented.subtracting(routed)); only routed: \(routed.subtracting(documented))")
        // Every operation documents its success, auth and internal-error answers.
        for (operation, responses) in OpenAPIContract.shared.operations where operation.path.hasPrefix("/v1") {
            #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(operation)")
            #expect(responses["401"] == ["application/problem+json"], "\(operation)")
            #expect(responses["429"] == ["application/problem+json"], "\(operation)")
            #expect(responses["500"] == ["application/problem+json"], "\(operation)")
        }
    }

    @Test("the server serves the document and answers every documented operation (none is the router's 404)")
    func everyOperationIsRouted() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (document, replies) = try await fixture.withClient { client in
                let document = try await client.send(.get, "/openapi.yaml", as: nil)
                var replies: [(String, APIClient.Reply)] = []
                for operation in OpenAPIContract.shared.operations.keys where operation.path.hasPrefix("/v1") {
                    let path = operation.path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                    let body: String? = operation.method == "POST" ? "{}" : nil
                    let reply = try await client.send(.init(operation.method)!, path, as: owner, json: body)
                    replies.append(("\(operation.method) \(operation.path)", reply))
                }
                let unknown = try await client.send(.get, "/v1/nothing-here", as: owner)
                #expect(unknown.status == 404)
                #expect(unknown.text.contains("no such endpoint"))
                return (document, replies)
            }
            #expect(document.status == 200)
            #expect(document.contentType == "application/yaml")
            #expect(document.text.hasPrefix("openapi: 3.1"))
            for (operation, reply) in replies {
                #expect(!reply.text.contains("no such endpoint"), "\(operation) is not routed")
                #expect(reply.status < 500, "\(operation): \(reply.text)")
            }
        }
    }

    @Test("an unexpected failure is a logged 500 internal_error that reveals nothing")
    func internalError() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            // Break the schema under the running application.
            let reply = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.execute("ALTER TABLE jobs RENAME COLUMN last_error TO last_error_gone")
                return try await client.send(.get, APIClient.path(product), as: owner)
            }
            #expect(reply.status == 500)
            #expect(reply.code == "internal_error")
            #expect(!reply.text.contains("last_error"))
            #expect(!reply.text.lowercased().contains("select"))
        }
    }
}
