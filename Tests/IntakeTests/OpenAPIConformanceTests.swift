import Foundation
import HTTPTypes
import Intake
import Settings
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
            // The served document declares the running catalogue's names (ST202 of schemathesis otherwise).
            #expect(document.text.contains("        product_type:\n          type: string\n          enum: [hoodie, tank, tshirt]\n"))
            #expect(document.text.contains("        shirt_color:\n          type: string\n          enum: [black, heather_grey, navy, red, white]\n"))
            for (operation, reply) in replies {
                #expect(!reply.text.contains("no such endpoint"), "\(operation) is not routed")
                #expect(reply.status < 500, "\(operation): \(reply.text)")
            }
        }
    }

    @Test("every documented path answers another method with 405 and the documented methods in Allow")
    func wrongMethods() async throws {
        let byPath = Dictionary(grouping: OpenAPIContract.shared.operations.keys, by: \.path).mapValues { Set($0.map(\.method)) }
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let replies = try await fixture.withClient { client in
                var replies: [(String, Set<String>, APIClient.Reply)] = []
                for (path, methods) in byPath {
                    let concrete = path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] where !methods.contains(method) {
                        let reply = try await client.send(.init(method)!, concrete, as: owner)
                        replies.append(("\(method) \(path)", methods, reply))
                    }
                }
                return replies
            }
            #expect(!replies.isEmpty)
            for (request, methods, reply) in replies {
                #expect(reply.status == 405, "\(request): \(reply.status) \(reply.text)")
                #expect(reply.code == "method_not_allowed", "\(request)")
                let allow = Set((reply.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(allow == methods, "\(request): Allow \(reply.headers[.allow] ?? "missing")")
            }
        }
    }

    @Test("every operation with an {id} documents 400 and answers a malformed id with it, field id")
    func malformedIDs() async throws {
        let operations = OpenAPIContract.shared.operations.filter { $0.key.path.contains("{id}") }
        #expect(operations.count == 18)
        for (operation, responses) in operations {
            #expect(responses["400"] == ["application/problem+json"], "\(operation)")
        }
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let replies = try await fixture.withClient { client in
                var replies: [(String, APIClient.Reply)] = []
                for operation in operations.keys {
                    for id in ["not-a-uuid", "12345", "0b9a3c7e-5f1d-4e2a-9c8b-7d6e5f4a3b2"] {
                        let path = operation.path.replacingOccurrences(of: "{id}", with: id)
                        let body: String? = operation.method == "POST" ? "{}" : nil
                        replies.append(("\(operation.method) \(path)", try await client.send(.init(operation.method)!, path, as: owner, json: body)))
                    }
                }
                return replies
            }
            for (request, reply) in replies {
                #expect(reply.status == 400, "\(request): \(reply.status) \(reply.text)")
                #expect(reply.code == "validation_failed", "\(request)")
                #expect(reply.field == "id", "\(request)")
            }
        }
    }

    @Test("the document declares what the server enforces: WWW-Authenticate on 401, text minLength, the candidates maximum")
    func declaredConstraints() throws {
        let text = try OpenAPIDocument.text()
        #expect(text.contains("    Unauthorized:\n      description: unauthorized; no, malformed, unknown or revoked API key.\n      headers:\n        WWW-Authenticate:"))
        #expect(text.contains("        prompt:\n          type: string\n          minLength: 1\n          maxLength: 2000\n"))
        #expect(text.contains("        feedback:\n          type: string\n          minLength: 1\n          maxLength: 2000\n"))
        #expect(text.contains("        candidates:\n          type: integer\n          minimum: 1\n          maximum: \(ProductFlowDefaults.candidatesMax)\n"))
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
