import FleetTesting
import Foundation
import HTTPTransport
import Testing

/// Issue 13, against the real daemons: a product whose flat-lay mockup fails permanently
/// (the flat-lay worker's template image is broken after it booted) fails and is refunded;
/// it is recovered by `itp-admin dlq replay` of the dead flat-lay job (refused first while
/// the owner's balance is short), reaches `ready_for_sale` with a gallery of three; then
/// fails again after a re-selection and is recovered by selecting a design through the API.
@Suite(.serialized) struct ExclusiveMockupRecoveryTests {
    @Test func aProductFailedByItsFlatLayIsRecoveredByReplayAndByReselection() async throws {
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("flow-templates")).path
        try FileManager.default.copyItem(atPath: Fleet.repository.appendingPathComponent("templates").path, toPath: templates)
        defer { try? FileManager.default.removeItem(atPath: templates) }
        let fleet = try await Fleet(credits: 1, flatLayTemplates: templates)
        do {
            try await run(fleet, templates: templates)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    private func status(_ fleet: Fleet, _ product: String) async throws -> [String: Any] {
        try await fleet.object(.get, "/v1/products/\(product)")
    }

    private func waitFor(_ fleet: Fleet, _ product: String, _ wanted: String, selection: Int) async throws {
        try await waitUntil("product \(product) to be \(wanted) at selection \(selection)\n\(fleet.logs)", timeout: .seconds(180),
                            poll: .milliseconds(250)) {
            let state = try await self.status(fleet, product)
            return state["status"] as? String == wanted && state["selection_version"] as? Int == selection
        }
    }

    private func run(_ fleet: Fleet, templates: String) async throws {
        try await fleet.waitUntilServing()
        let created = try await fleet.object(.post, "/v1/products", json: """
            {"prompt":"a lighthouse in a storm, bold badge","product_type":"tshirt","shirt_color":"navy"}
            """)
        let product = try #require(created["id"] as? String)
        let productID = try #require(UUID(uuidString: product))
        try await fleet.waitForStatus(product, "awaiting_selection")
        let designs = try await fleet.object(.get, "/v1/products/\(product)/designs")
        let candidates = try #require(designs["candidates"] as? [[String: Any]])
        func original(_ index: Int) throws -> String {
            let candidate = try #require(candidates.first { $0["candidate"] as? Int == index })
            let variants = try #require(candidate["variants"] as? [[String: Any]])
            return try #require(variants.first { $0["variant"] as? String == "original" }?["asset_id"] as? String)
        }

        // The flat-lay worker checked its templates at boot; now its navy image is garbage,
        // which the renderer refuses: a permanent failure, dead-lettered at once.
        let image = templates + "/tshirt/navy/flat_lay.png"
        let good = try Data(contentsOf: URL(fileURLWithPath: image))
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: image))

        let first = try original(0)
        _ = try await fleet.object(.post, "/v1/products/\(product)/selection", json: #"{"asset_id":"\#(first)"}"#)
        try await waitFor(fleet, product, "failed", selection: 1)
        let failed = try await status(fleet, product)
        // The shopper sees the public code; the internal reason stays for itp-admin.
        #expect((failed["failure_reason"] as? [String: Any])?["code"] as? String == "mockup_failed", "\(failed)")
        #expect(try fleet.count("""
            SELECT count(*) FROM products WHERE id = \(productID) AND failure_reason LIKE '%flat-lay%'
            """) == 1)
        #expect(try fleet.count("""
            SELECT count(*) FROM jobs WHERE product_id = \(productID) AND kind = 'mockup.flat_lay' AND state = 'dead' AND error_class = 'permanent'
            """) == 1)
        try await waitUntil("the flat-lay dead letter") {
            try fleet.count("SELECT count(*) FROM dead_letters WHERE job_kind = 'mockup.flat_lay'") == 1
        }
        let deadLetter = try fleet.count("SELECT id::int FROM dead_letters WHERE job_kind = 'mockup.flat_lay'")
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(productID) AND kind = 'refund'") == 1)

        // Its refunded credit is spent on another product: the replay is refused and changes nothing.
        let other = try #require(try await fleet.object(.post, "/v1/products", json: """
            {"prompt":"a quiet harbour","product_type":"tshirt","shirt_color":"white"}
            """)["id"] as? String)
        let refused = try await fleet.admin(["dlq", "replay", "\(deadLetter)", "--yes"])
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stdout.contains("insufficient credits"), "\(refused.stdout)")
        #expect(try await status(fleet, product)["status"] as? String == "failed")
        #expect(try fleet.count("SELECT count(*) FROM jobs WHERE product_id = \(productID) AND kind = 'mockup.flat_lay' AND state = 'dead'") == 1)

        // Cancel that one (its credit comes back), repair the template, replay: the product is revived.
        #expect(try await fleet.request(.post, "/v1/products/\(other)/cancel").status == 200)
        try good.write(to: URL(fileURLWithPath: image))
        let replayed = try await fleet.admin(["dlq", "replay", "\(deadLetter)", "--yes", "--publish-timeout", "30"])
        #expect(replayed.status == 0, "\(replayed.stdout) \(replayed.stderr)")
        #expect(replayed.stdout.contains("product revived: failed → generating_mockups, 1 credit(s) reserved again"), "\(replayed.stdout)")
        try await waitFor(fleet, product, "ready_for_sale", selection: 1)
        try await fleet.expectGallery(product: product, design: first)
        // reserve, refund (the failure), reserve (the replay), consume (the promotion).
        #expect(try fleet.count("""
            SELECT count(*) FROM credit_ledger WHERE product_id = \(productID) AND kind = 'reserve'
            """) == 2)
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(productID) AND kind = 'consume'") == 1)
        #expect(try fleet.count("SELECT balance::int FROM credit_accounts") == 0)

        // Again, after a re-selection: the failure refunds nothing (the credit was consumed) …
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: image))
        let second = try original(1)
        _ = try await fleet.object(.post, "/v1/products/\(product)/selection", json: #"{"asset_id":"\#(second)"}"#)
        try await waitFor(fleet, product, "failed", selection: 2)
        // … and a selection through the API recovers it, reserving nothing more.
        try good.write(to: URL(fileURLWithPath: image))
        let reselected = try await fleet.object(.post, "/v1/products/\(product)/selection", json: #"{"asset_id":"\#(second)"}"#)
        #expect(reselected["selection_version"] as? Int == 3)
        try await waitFor(fleet, product, "ready_for_sale", selection: 3)
        try await fleet.expectGallery(product: product, design: second)
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(productID) AND kind = 'reserve'") == 2)
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(productID) AND kind = 'consume'") == 1)
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE product_id = \(productID) AND kind = 'refund'") == 1)
        #expect(try fleet.count("SELECT balance::int FROM credit_accounts") == 0)
        // Grants = consumed + open reservations + balance, for the owner.
        #expect(try fleet.count("""
            SELECT ((SELECT COALESCE(sum(amount), 0) FROM credit_ledger WHERE kind = 'grant')
                  - (SELECT COALESCE(sum(amount), 0) FROM credit_ledger WHERE kind = 'consume')
                  - (SELECT balance FROM credit_accounts))::int
            """) == 0)
        try await waitUntil("the outbox to drain") {
            try fleet.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        }
        #expect(fleet.allRunning, "\(fleet.logs)")
    }
}
