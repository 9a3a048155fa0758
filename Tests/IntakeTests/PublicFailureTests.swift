import Foundation
import Testing

@Suite("Public failure reasons, template fallbacks and iteration feedback")
struct PublicFailureTests {
    /// Internal text as the workers and the finalizer write it today.
    static let storageError = "design generation failed: the design blob is missing from asset storage (key products/x/designs/1/0-original.png)"
    static let candidatesError = "the job asks for 6 candidates; this worker makes 1 to 4 (ITP_DESIGN_CANDIDATES_MAX)"

    func deadDesignJob(_ fixture: IntakeFixture, _ product: UUID, lastError: String, stage: String) async throws {
        try await fixture.execute("""
            UPDATE jobs SET state = 'dead', finished_at = now(), attempts = 1, last_error = \(lastError),
                   error_class = 'permanent', failure_stage = \(stage)
            WHERE product_id = \(product) AND kind = 'design.generate'
            """)
    }

    @Test("failure_reason and last_error are a public code and message; internal text never reaches the shopper")
    func failureReasons() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let (failed, rejected, cancelled) = try await fixture.withClient { client in
                let failed = try await client.createProduct(owner)
                try await deadDesignJob(fixture, failed, lastError: Self.candidatesError, stage: "validate_payload")
                try await fixture.execute("""
                    UPDATE products SET status = 'failed', failure_reason = \(Self.storageError) WHERE id = \(failed)
                    """)
                let rejected = try await client.createProduct(owner)
                try await deadDesignJob(
                    fixture, rejected, lastError: "provider openai-images permanent: 400 content_policy_violation: Your request was rejected by the safety system",
                    stage: "provider_call")
                try await fixture.execute("""
                    UPDATE products SET status = 'failed', failure_reason = 'design generation failed: provider openai-images permanent: 400 content_policy_violation'
                    WHERE id = \(rejected)
                    """)
                let cancelled = try await client.createProduct(owner)
                try await client.send(.post, APIClient.path(cancelled, "/cancel"), as: owner)
                return (try await client.send(.get, APIClient.path(failed), as: owner),
                        try await client.send(.get, APIClient.path(rejected), as: owner),
                        try await client.send(.get, APIClient.path(cancelled), as: owner))
            }
            #expect(failed.json[object: "failure_reason"]["code"] as? String == "design_generation_failed")
            #expect(failed.json[array: "jobs"].first?[object: "last_error"]["code"] as? String == "design_generation_failed")
            #expect(rejected.json[object: "failure_reason"]["code"] as? String == "provider_rejected_prompt")
            #expect(cancelled.json[object: "failure_reason"]["code"] as? String == "cancelled")
            #expect(cancelled.json[array: "jobs"].first?[object: "last_error"]["code"] as? String == "cancelled")
            for reply in [failed, rejected, cancelled] {
                #expect(reply.status == 200)
                #expect(reply.json[object: "failure_reason"]["message"] is String)
                for leak in ["key products/", "blob", "ITP_", "openai", "content_policy", "asset storage", "safety"] {
                    #expect(!reply.text.contains(leak), "\(leak) in \(reply.text)")
                }
            }
            // The internal text stays for operators.
            #expect(try await fixture.count("SELECT count(*) FROM products WHERE failure_reason = \(Self.storageError)") == 1)
        }
    }

    @Test("a mockup made from the declared default template says so: requested and used garment and the reason")
    func templateFallback() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let gallery = try await fixture.withClient { client in
                let product = try await client.createProduct(
                    owner, body: #"{"prompt": "a fox", "product_type": "tank", "shirt_color": "red"}"#)
                let design = try await fixture.seedDesigns(product)[0][0]
                try await client.send(.post, APIClient.path(product, "/selection"), as: owner, json: APIClient.selection(design))
                let flatLay = try await fixture.seedMockup(product, role: "mockup_flat_lay", design: design, selection: 1)
                let mrImagine = try await fixture.seedMockup(product, role: "mockup_mr_imagine", design: design, selection: 1)
                try await fixture.execute("""
                    UPDATE product_assets SET template_info = \(Self.templateInfo(fallback: false, color: "red"))::jsonb WHERE id = \(flatLay)
                    """)
                try await fixture.execute("""
                    UPDATE product_assets SET template_info = \(Self.templateInfo(fallback: true, color: "white"))::jsonb WHERE id = \(mrImagine)
                    """)
                return try await client.send(.get, APIClient.path(product, "/gallery"), as: owner)
            }
            let slots = gallery.json[array: "slots"]
            #expect(slots.count == 3)
            #expect(slots[0]["template"] == nil)
            let flatLay = slots[1][object: "template"]
            #expect(flatLay["fallback"] as? Bool == false)
            #expect(flatLay["reason"] == nil)
            let mrImagine = slots[2][object: "template"]
            #expect(mrImagine["fallback"] as? Bool == true)
            #expect(mrImagine["reason"] as? String == "template_image_missing")
            #expect(mrImagine[object: "requested"]["color"] as? String == "red")
            #expect(mrImagine[object: "used"]["color"] as? String == "white")
            #expect(mrImagine[object: "used"]["product_type"] as? String == "tank")
            #expect(mrImagine["template_id"] as? String == "tank-white-mr_imagine")
        }
    }

    static func templateInfo(fallback: Bool, color: String) -> String {
        let reason = fallback
            ? #""mr_imagine template 'tank-red-mr_imagine' image tank/red.png is missing; used the declared default colour 'white'""# : "null"
        let kind = fallback ? "mr_imagine" : "flat_lay"
        return """
            {"product_type": "tank", "color": "\(color)", "kind": "\(kind)", "template_id": "tank-\(color)-\(kind)", "template_version": 1,
             "print_area": {"x": 1, "y": 2, "width": 3, "height": 4}, "renderer_version": "1", "fallback": \(fallback),
             "fallback_reason": \(reason), "requested_product_type": "tank", "requested_color": "red"}
            """
    }

    @Test("each regeneration's feedback is listed with its iteration")
    func iterationFeedback() async throws {
        try await IntakeFixture.with { fixture in
            let owner = try await fixture.makeOwner()
            let view = try await fixture.withClient { client in
                let product = try await client.createProduct(owner)
                try await fixture.seedDesigns(product)
                try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner, json: #"{"feedback": "more orange"}"#)
                try await fixture.seedDesigns(product, iteration: 2)
                try await client.send(.post, APIClient.path(product, "/regenerate"), as: owner, json: #"{"feedback": "now blue"}"#)
                return try await client.send(.get, APIClient.path(product), as: owner)
            }
            let iterations = view.json[array: "iterations"]
            #expect(iterations.map { $0["iteration"] as? Int } == [1, 2, 3])
            #expect(iterations.map { $0["feedback"] as? String } == [nil, "more orange", "now blue"])
            #expect(iterations.allSatisfy { $0["requested_at"] is String })
        }
    }
}
