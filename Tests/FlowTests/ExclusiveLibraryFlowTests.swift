import FleetTesting
import Foundation
import HTTPTransport
import Postgres
import Soak
import Testing

/// The shop's design library through the real fleet, with the design worker calling a
/// local fake of the OpenAI Images API (so provider calls are counted where they arrive):
/// a design is saved (a second identical save stores no second blob), put on three
/// garments with one idempotent batch request and on a fourth by `POST /v1/products`
/// without one provider call or design job; all four reach `ready_for_sale` with galleries
/// whose design slot is the library's blob; a version 2 leaves them on version 1 and a new
/// product gets it, until `sync` re-renders their mockups from version 2 while they stay
/// on sale; another shop sees and uses none of it; a
/// delete while products use it is refused naming them; after the products are cancelled
/// the design is archived, not deleted, and `assets cleanup` keeps its blobs while it
/// removes a deleted design's.
@Suite(.serialized) struct ExclusiveLibraryFlowTests {
    @Test func aSavedDesignGoesOnManyGarmentsWithoutGeneratingAgain() async throws {
        let provider = try await FakeImageAPI(size: Fleet.fakeImageSize)
        let fleet = try await Fleet(credits: 10, imageAPI: provider.baseURL)
        do {
            try await run(fleet, provider: provider)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    private func run(_ fleet: Fleet, provider: FakeImageAPI) async throws {
        try await fleet.waitUntilServing()
        // Products from prompts: A becomes the library design, B a design deleted later, C
        // the design's second version.
        var sources: [String] = []
        for prompt in ["a lighthouse emblem, bold lines", "a fox badge, two colours", "a whale tail, woodcut"] {
            let created = try await fleet.object(.post, "/v1/products", json: """
                {"prompt":"\(prompt)","product_type":"tshirt","shirt_color":"black","candidates":1}
                """)
            sources.append(try #require(created["id"] as? String))
        }
        for product in sources {
            try await fleet.waitForStatus(product, "awaiting_selection")
            let designs = try await fleet.object(.get, "/v1/products/\(product)/designs")
            let variants = try #require((designs["candidates"] as? [[String: Any]])?.first?["variants"] as? [[String: Any]])
            let dtf = try #require(variants.first { $0["variant"] as? String == "dtf" }?["asset_id"] as? String)
            _ = try await fleet.object(.post, "/v1/products/\(product)/selection", json: #"{"asset_id":"\#(dtf)"}"#)
        }
        for product in sources { try await fleet.waitForStatus(product, "ready_for_sale") }
        let callsBefore = provider.tally.calls
        #expect(callsBefore >= 3, "\(provider.tally)")
        #expect(try fleet.count("SELECT count(*) FROM blobs") == 0)

        // Save A: three variants, provenance, content-addressed blobs adopted without a copy.
        let saved = try await fleet.object(.post, "/v1/library/designs", json: """
            {"product_id":"\(sources[0])","name":"Lighthouse emblem","tags":["Nautical","badge","nautical"]}
            """)
        let designID = try #require(saved["id"] as? String)
        #expect(saved["tags"] as? [String] == ["nautical", "badge"])
        let version = try #require((saved["versions"] as? [[String: Any]])?.first)
        #expect(version["selected_variant"] as? String == "dtf")
        let variants = try #require(version["variants"] as? [[String: Any]])
        #expect(Set(variants.compactMap { $0["variant"] as? String }) == ["original", "dtf", "background_removed"])
        let provenance = try #require(version["provenance"] as? [String: Any])
        #expect(provenance["prompt"] as? String == "a lighthouse emblem, bold lines")
        #expect(provenance["provider"] as? String == "openai-images" && provenance["model"] as? String == "gpt-image-1", "\(provenance)")
        #expect(provenance["source_product_id"] as? String == sources[0])
        let designSHA = try #require(variants.first { $0["variant"] as? String == "dtf" }?["sha256"] as? String)
        #expect(try fleet.count("SELECT count(*) FROM blobs") == 3)
        // A second identical save: a second library entry, no second blob.
        let again = try await fleet.object(.post, "/v1/library/designs", json: #"{"product_id":"\#(sources[0])","name":"Lighthouse again"}"#)
        let secondID = try #require(again["id"] as? String)
        #expect(try fleet.count("SELECT count(*) FROM blobs") == 3)
        #expect(try fleet.count("SELECT count(*) FROM library_design_variants") == 6)

        // One request, three garments (and one combination the catalogue lacks).
        let batchBody = """
            {"items":[{"product_type":"tshirt","shirt_color":"white"},
                      {"product_type":"hoodie","shirt_color":"black","placement":"left_chest"},
                      {"product_type":"tank","shirt_color":"navy"},
                      {"product_type":"tank","shirt_color":"purple"}]}
            """
        let batch = try await fleet.request(.post, "/v1/library/designs/\(designID)/products", json: batchBody,
                                            headers: ["Idempotency-Key": "batch-1"])
        #expect(batch.status == 200, "\(batch.bodyText)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(batch.body)) as? [String: Any])
        #expect(answer["created"] as? Int == 3 && answer["refused"] as? Int == 1, "\(answer)")
        let items = try #require(answer["items"] as? [[String: Any]])
        #expect(items.map { $0["result"] as? String } == ["created", "created", "created", "refused"])
        #expect((items[3]["refusal"] as? [String: Any])?["code"] as? String == "validation_failed")
        var made = items.compactMap { ($0["product"] as? [String: Any])?["id"] as? String }
        #expect(made.count == 3)
        // The same key and body: the same answer, nothing made; another body: a conflict.
        let replay = try await fleet.request(.post, "/v1/library/designs/\(designID)/products", json: batchBody,
                                             headers: ["Idempotency-Key": "batch-1"])
        #expect(replay.status == 200 && replay.headers["Idempotent-Replayed"] == "true", "\(replay.status) \(replay.bodyText)")
        let replayed = try #require(try JSONSerialization.jsonObject(with: Data(replay.body)) as? [String: Any])
        #expect(((replayed["items"] as? [[String: Any]]) ?? []).compactMap { ($0["product"] as? [String: Any])?["id"] as? String } == made)
        let conflict = try await fleet.request(.post, "/v1/library/designs/\(designID)/products",
                                               json: #"{"items":[{"product_type":"tshirt","shirt_color":"red"}]}"#,
                                               headers: ["Idempotency-Key": "batch-1"])
        #expect(conflict.status == 409 && conflict.bodyText.contains("idempotency_conflict"), "\(conflict.bodyText)")
        // And one more through POST /v1/products.
        let single = try await fleet.request(.post, "/v1/products", json: """
            {"library_design_id":"\(designID)","product_type":"tshirt","shirt_color":"red"}
            """)
        #expect(single.status == 202, "\(single.bodyText)")
        let singleAnswer = try #require(try JSONSerialization.jsonObject(with: Data(single.body)) as? [String: Any])
        #expect(singleAnswer["status"] as? String == "generating_mockups")
        made.append(try #require(singleAnswer["id"] as? String))
        #expect(try fleet.count("SELECT count(*) FROM products") == 7)

        for product in made {
            try await fleet.waitForStatus(product, "ready_for_sale")
            let gallery = try await fleet.object(.get, "/v1/products/\(product)/gallery")
            let slot = try #require((gallery["slots"] as? [[String: Any]])?.first { $0["slot"] as? String == "design" })
            let asset = try #require(slot["asset_id"] as? String)
            try await fleet.expectGallery(product: product, design: asset)
            // The design slot is the library's blob, not a copy.
            #expect(try fleet.count("""
                SELECT count(*) FROM product_assets WHERE id = \(try #require(UUID(uuidString: asset)))
                  AND encode(sha256, 'hex') = \(designSHA) AND blob_sha256 = sha256
                """) == 1)
        }
        #expect(provider.tally.calls == callsBefore, "a library product called the provider: \(provider.tally)")
        #expect(try fleet.count("SELECT count(*) FROM jobs WHERE kind = 'design.generate'") == 3)
        #expect(try fleet.count("SELECT count(*) FROM blobs") == 3)
        #expect(try fleet.count("""
            SELECT count(*) FROM products
            WHERE library_design_id IS NOT NULL AND 'shirt_color' = ANY(library_overrides) AND product_type = 'tshirt'
            """) == 2)
        #expect(try fleet.count("""
            SELECT count(*) FROM products WHERE product_type = 'hoodie' AND library_overrides @> ARRAY['product_type', 'placement']
            """) == 1)
        // Each library product reserved ITP_PRICE_LIBRARY (1) and consumed it when ready.
        #expect(try fleet.count("""
            SELECT count(*) FROM credit_ledger l JOIN products p ON p.id = l.product_id
            WHERE p.library_design_id IS NOT NULL AND l.kind = 'consume' AND l.amount = 1
            """) == 4)

        // Operators see where a product's design came from, and the shop's library.
        let hoodie = try #require(items[1]["product"] as? [String: Any])["id"] as? String
        let shown = try await fleet.admin(["products", "show", try #require(hoodie)])
        #expect(shown.stdout.contains("source: library design \"Lighthouse emblem\" \(designID) version 1 (latest 1); overrides: product_type, placement; made by openai-images gpt-image-1"), "\(shown.stdout)")
        let shownSource = try await fleet.admin(["products", "show", sources[0]])
        #expect(shownSource.stdout.contains("source: generated from the prompt; made by openai-images gpt-image-1"), "\(shownSource.stdout)")
        let listed = try await fleet.admin(["library", "list", "--owner", "flow-shop"])
        #expect(listed.status == 0 && listed.stdout.contains("library of flow-shop: 2 design(s)"), "\(listed.stdout)\(listed.stderr)")
        #expect(listed.stdout.contains(designID) && listed.stdout.contains("product \(sources[0])"), "\(listed.stdout)")

        // Version 2 (C's design): the products made from version 1 keep theirs; a new product
        // without a version gets the latest.
        let versioned = try await fleet.request(.post, "/v1/library/designs/\(designID)/versions", json: #"{"product_id":"\#(sources[2])"}"#)
        #expect(versioned.status == 201, "\(versioned.bodyText)")
        let withVersion2 = try #require(try JSONSerialization.jsonObject(with: Data(versioned.body)) as? [String: Any])
        #expect(withVersion2["latest_version"] as? Int == 2)
        let version2 = try #require((withVersion2["versions"] as? [[String: Any]])?.last)
        let version2SHA = try #require(((version2["variants"] as? [[String: Any]]) ?? []).first { $0["variant"] as? String == "dtf" }?["sha256"] as? String)
        #expect(version2SHA != designSHA)
        #expect(try fleet.count("""
            SELECT count(*) FROM products p JOIN library_design_versions v ON v.id = p.library_version_id
            JOIN product_assets a ON a.product_id = p.id AND a.is_primary_design
            WHERE v.version = 1 AND encode(a.sha256, 'hex') = \(designSHA) AND p.status = 'ready_for_sale'
            """) == 4)
        let hoodieView = try await fleet.object(.get, "/v1/products/\(try #require(hoodie))")
        let source = try #require(hoodieView["library"] as? [String: Any], "\(hoodieView)")
        #expect(source["design_id"] as? String == designID && source["version"] as? Int == 1 && source["latest_version"] as? Int == 2)
        #expect(source["overrides"] as? [String] == ["product_type", "placement"], "\(source)")
        #expect((try await fleet.object(.get, "/v1/products/\(sources[0])"))["library"] == nil)
        let stillV1 = try await fleet.admin(["products", "show", try #require(hoodie)])
        #expect(stillV1.stdout.contains("version 1 (latest 2)"), "\(stillV1.stdout)")
        let latest = try await fleet.object(.post, "/v1/products", json: """
            {"library_design_id":"\(designID)","product_type":"tank","shirt_color":"white"}
            """)
        let latestID = try #require(latest["id"] as? String)
        try await fleet.waitForStatus(latestID, "ready_for_sale")
        #expect(try fleet.count("""
            SELECT count(*) FROM product_assets WHERE product_id = \(try #require(UUID(uuidString: latestID))) AND is_primary_design
              AND encode(sha256, 'hex') = \(version2SHA)
            """) == 1)
        #expect(provider.tally.calls == callsBefore, "a library product called the provider: \(provider.tally)")
        try await sync(fleet, design: designID, products: made, upToDate: latestID, from: designSHA, to: version2SHA)
        made.append(latestID)
        #expect(provider.tally.calls == callsBefore, "a sync called the provider: \(provider.tally)")
        #expect(try fleet.count("SELECT count(*) FROM blobs") == 6)

        // Another shop: the same 404 as an unknown id, everywhere.
        let created = try await fleet.admin(["keys", "create", "--owner", "other-shop"])
        let otherKey = try #require(created.stdout.split(separator: "\n").first { $0.hasPrefix("key: ") }.map { String($0.dropFirst(5)) })
        let unknown = UUID().uuidString.lowercased()
        for (method, path, json) in [
            (HTTPMethod.get, "/v1/library/designs/\(designID)", nil as String?),
            (.delete, "/v1/library/designs/\(designID)", nil),
            (.post, "/v1/library/designs/\(designID)/products", #"{"items":[{"product_type":"tshirt","shirt_color":"white"}]}"#),
            (.post, "/v1/products", #"{"library_design_id":"\#(designID)","product_type":"tshirt","shirt_color":"white"}"#),
            (.post, "/v1/library/designs", #"{"product_id":"\#(sources[0])","name":"stolen"}"#),
            (.post, "/v1/library/designs/\(designID)/versions", #"{"product_id":"\#(sources[2])"}"#),
            (.get, "/v1/library/designs/\(designID)/sync", nil),
            (.post, "/v1/library/designs/\(designID)/sync", "{}"),
        ] {
            let theirs = try await fleet.request(method, path, json: json, key: otherKey)
            #expect(theirs.status == 404 && theirs.bodyText.contains("not_found"), "\(method) \(path): \(theirs.bodyText)")
            guard path.contains(designID) || json?.contains(designID) == true else { continue }
            let asUnknown = try await fleet.request(
                method, path.replacingOccurrences(of: designID, with: unknown), json: json?.replacingOccurrences(of: designID, with: unknown))
            #expect(asUnknown.status == 404 && asUnknown.bodyText.contains("not_found"), "\(method) \(path) unknown: \(asUnknown.bodyText)")
        }
        let theirList = try await fleet.request(.get, "/v1/library/designs", key: otherKey)
        #expect(theirList.status == 200 && theirList.bodyText.contains(#""designs":[]"#), "\(theirList.bodyText)")
        let ourList = try await fleet.object(.get, "/v1/library/designs")
        #expect(((ourList["designs"] as? [[String: Any]]) ?? []).count == 2)

        // Deleting while live products use it: refused, naming them.
        let refused = try await fleet.request(.delete, "/v1/library/designs/\(designID)")
        #expect(refused.status == 409, "\(refused.bodyText)")
        let problem = try #require(try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any])
        #expect(problem["code"] as? String == "design_in_use")
        #expect(Set(problem["products"] as? [String] ?? []) == Set(made), "\(problem)")

        // The schema knows the references: a blob in use cannot be deleted by any code.
        let admin = try PostgresConnection.connect(fleet.conninfo)
        defer { admin.close() }
        #expect(throws: PostgresError.self) { try admin.execute("DELETE FROM blobs") }

        // Design B: saved, then deleted (nothing uses it), then its product cancelled.
        let savedB = try await fleet.object(.post, "/v1/library/designs", json: #"{"product_id":"\#(sources[1])","name":"Fox"}"#)
        let designB = try #require(savedB["id"] as? String)
        let deletedB = try await fleet.object(.delete, "/v1/library/designs/\(designB)")
        #expect(deletedB["outcome"] as? String == "deleted", "\(deletedB)")
        let deletedSecond = try await fleet.object(.delete, "/v1/library/designs/\(secondID)")
        #expect(deletedSecond["outcome"] as? String == "deleted", "\(deletedSecond)")
        #expect(try fleet.count("SELECT count(*) FROM blobs") == 9)

        // Cancel the library products and B; the design, still their source, is archived.
        for product in made + [sources[1]] {
            _ = try await fleet.object(.post, "/v1/products/\(product)/cancel")
        }
        let archived = try await fleet.object(.delete, "/v1/library/designs/\(designID)")
        #expect(archived["outcome"] as? String == "archived", "\(archived)")
        let refusedUse = try await fleet.request(.post, "/v1/products", json: """
            {"library_design_id":"\(designID)","product_type":"tshirt","shirt_color":"white"}
            """)
        #expect(refusedUse.status == 409 && refusedUse.bodyText.contains("invalid_state"), "\(refusedUse.bodyText)")

        // Cleanup: the cancelled products' rows go; the archived design's blobs stay (its
        // variants reference them), B's blobs go (nothing references them any more).
        let keptKeys = try admin.query("""
            SELECT DISTINCT b.storage_key FROM blobs b JOIN library_design_variants v ON v.blob_sha256 = b.sha256
            """).map { try $0.decode(String.self, column: "storage_key") }
        let goneKeys = try admin.query("""
            SELECT storage_key FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM library_design_variants v WHERE v.blob_sha256 = b.sha256)
            """).map { try $0.decode(String.self, column: "storage_key") }
        #expect(keptKeys.count == 6 && goneKeys.count == 3)
        let cleanup = try await fleet.admin(["assets", "cleanup", "--older-than-days", "0", "--apply", "--storage-url", "file://\(fleet.storage)"])
        #expect(cleanup.status == 0, "\(cleanup.stdout)\(cleanup.stderr)")
        #expect(cleanup.stdout.contains("3 shared blob(s)"), "\(cleanup.stdout)")
        #expect(try fleet.count("SELECT count(*) FROM blobs") == 6)
        for key in keptKeys { #expect(FileManager.default.fileExists(atPath: fleet.storage + "/" + key), "kept \(key)") }
        for key in goneKeys { #expect(!FileManager.default.fileExists(atPath: fleet.storage + "/" + key), "removed \(key)") }
        #expect(try fleet.count("SELECT count(*) FROM product_assets a JOIN products p ON p.id = a.product_id WHERE p.status = 'cancelled'") == 0)
        // Product A (not cancelled) still shows its design from the shared blob.
        try await fleet.expectGallery(
            product: sources[0],
            design: try admin.query("SELECT id FROM product_assets WHERE product_id = \(UUID(uuidString: sources[0])!) AND is_primary_design")[0]
                .decode(UUID.self, column: "id").uuidString.lowercased())
        #expect(try fleet.count("SELECT count(*) FROM dead_letters") == 0)
        #expect(fleet.allRunning, "\(fleet.logs)")
    }

    /// `products` are on version 1 (`from`), `upToDate` on version 2 (`to`). The preview
    /// lists the change per product and writes nothing; applying it re-renders their
    /// mockups while they stay `ready_for_sale`, and at every look the gallery's mockups
    /// are of its design (the swap moves all three at once).
    private func sync(_ fleet: Fleet, design: String, products: [String], upToDate: String, from: String, to: String) async throws {
        let preview = try await fleet.object(.get, "/v1/library/designs/\(design)/sync")
        #expect(preview["latest_version"] as? Int == 2 && preview["applied"] as? Bool == false, "\(preview)")
        let planned = try #require(preview["products"] as? [[String: Any]])
        let plans = Dictionary(uniqueKeysWithValues: planned.compactMap { item in (item["product_id"] as? String).map { ($0, item) } })
        #expect(plans[upToDate]?["result"] as? String == "up_to_date", "\(planned)")
        for product in products {
            let plan = try #require(plans[product], "\(planned)")
            #expect(plan["result"] as? String == "would_sync", "\(plan)")
            #expect(plan["changes"] as? [[String: String]] == [
                ["field": "version", "from": "1", "to": "2"], ["field": "design_sha256", "from": from, "to": to],
            ], "\(plan)")
            let view = try await fleet.object(.get, "/v1/products/\(product)")
            let overrides = try #require(view["library"] as? [String: Any])["overrides"] as? [String]
            #expect(plan["kept_overrides"] as? [String] == overrides, "\(plan)")
        }
        #expect(try fleet.count("SELECT count(*) FROM products WHERE sync_version_id IS NOT NULL") == 0)

        let applied = try await fleet.request(.post, "/v1/library/designs/\(design)/sync", json: "{}")
        #expect(applied.status == 202, "\(applied.bodyText)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(applied.body)) as? [String: Any])
        let results = try #require(answer["products"] as? [[String: Any]])
        #expect(Set(results.filter { $0["result"] as? String == "started" }.compactMap { $0["product_id"] as? String }) == Set(products))
        #expect(results.allSatisfy { $0["result"] as? String != "started" || ($0["job_ids"] as? [String])?.count == 2 }, "\(results)")
        // Ids in lower case, as everywhere in the API.
        #expect(results.flatMap { ($0["job_ids"] as? [String]) ?? [] }.allSatisfy { $0 == $0.lowercased() }, "\(results)")
        // Applied again while rendering: nothing new starts.
        let again = try await fleet.object(.post, "/v1/library/designs/\(design)/sync", json: #"{"product_ids":["\#(products[0])"]}"#)
        let second = try #require((again["products"] as? [[String: Any]])?.first?["result"] as? String)
        #expect(["in_progress", "up_to_date"].contains(second), "\(again)")

        let ids = try products.map { try #require(UUID(uuidString: $0)) }
        try await waitUntil("the synced products show version 2", timeout: .seconds(180), poll: .milliseconds(100)) {
            let offSale = try fleet.count("SELECT count(*) FROM products WHERE id = ANY(\(ids)) AND status <> 'ready_for_sale'")
            #expect(offSale == 0, "a product left ready_for_sale during its sync")
            let mixed = try fleet.count("""
                SELECT count(*) FROM product_assets m
                JOIN product_assets d ON d.product_id = m.product_id AND d.is_primary_design
                WHERE m.product_id = ANY(\(ids)) AND m.is_active AND m.asset_role IN ('mockup_flat_lay', 'mockup_mr_imagine')
                  AND m.template_info->>'design_sha256' IS DISTINCT FROM encode(d.sha256, 'hex')
                """)
            #expect(mixed == 0, "a gallery showed a mockup of another design than its own")
            let moved = try fleet.count("""
                SELECT count(*) FROM products p JOIN library_design_versions v ON v.id = p.library_version_id
                JOIN product_assets d ON d.product_id = p.id AND d.is_primary_design
                WHERE p.id = ANY(\(ids)) AND v.version = 2 AND encode(d.sha256, 'hex') = \(to) AND p.sync_version_id IS NULL
                """)
            return moved == products.count || offSale > 0 || mixed > 0
        }
        for product in products {
            let view = try await fleet.object(.get, "/v1/products/\(product)")
            #expect(view["status"] as? String == "ready_for_sale")
            let library = try #require(view["library"] as? [String: Any])
            #expect(library["version"] as? Int == 2 && library["syncing_to_version"] == nil && library["sync_failure"] == nil, "\(library)")
            let primary = try fleet.count("""
                SELECT count(*) FROM product_assets WHERE product_id = \(try #require(UUID(uuidString: product)))
                  AND is_primary_design AND blob_sha256 = sha256 AND encode(sha256, 'hex') = \(to)
                """)
            #expect(primary == 1)
            let designs = try await fleet.object(.get, "/v1/products/\(product)/gallery")
            let slot = try #require((designs["slots"] as? [[String: Any]])?.first { $0["slot"] as? String == "design" })
            try await fleet.expectGallery(product: product, design: try #require(slot["asset_id"] as? String))
        }
        // Each product's new mockups came from jobs the sync made; none dead.
        #expect(try fleet.count("""
            SELECT count(*) FROM jobs WHERE product_id = ANY(\(ids)) AND kind IN ('mockup.flat_lay', 'mockup.mr_imagine')
              AND state = 'succeeded'
            """) >= 4 * products.count)
        let after = try await fleet.object(.get, "/v1/library/designs/\(design)/sync")
        #expect(((after["products"] as? [[String: Any]]) ?? []).allSatisfy { $0["result"] as? String == "up_to_date" }, "\(after)")
    }
}
