import FleetTesting
import Foundation
import HTTPTransport
import Testing

/// DESIGN.md §1 end to end, against the real daemons: prompt → candidates → selection →
/// mockups → ready_for_sale with a gallery of exactly three images; then a re-selection
/// after ready_for_sale makes new mockups of the new design and archives the old ones.
@Suite(.serialized) struct ExclusiveFleetFlowTests {
    @Test func promptToReadyForSaleAndReselection() async throws {
        let fleet = try await Fleet(credits: 5)
        do {
            try await run(fleet)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    private func run(_ fleet: Fleet) async throws {
        try await fleet.waitUntilServing()
        let created = try await fleet.object(.post, "/v1/products", json: """
            {"prompt":"a lighthouse in a storm, bold badge","product_type":"tshirt","shirt_color":"navy"}
            """)
        let product = try #require(created["id"] as? String)
        try await fleet.waitForStatus(product, "awaiting_selection")

        let designs = try await fleet.object(.get, "/v1/products/\(product)/designs")
        let candidates = try #require(designs["candidates"] as? [[String: Any]])
        #expect(candidates.count == 4)
        func original(_ index: Int) throws -> String {
            let candidate = try #require(candidates.first { $0["candidate"] as? Int == index })
            let variants = try #require(candidate["variants"] as? [[String: Any]])
            #expect(Set(variants.compactMap { $0["variant"] as? String }) == ["original", "dtf", "background_removed"])
            return try #require(variants.first { $0["variant"] as? String == "original" }?["asset_id"] as? String)
        }

        let first = try original(0)
        _ = try await fleet.object(.post, "/v1/products/\(product)/selection", json: #"{"asset_id":"\#(first)"}"#)
        try await fleet.waitForStatus(product, "ready_for_sale")
        try await fleet.expectGallery(product: product, design: first)
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE kind = 'consume'") == 1)

        // Re-selection after ready_for_sale: new mockups from exactly the new design.
        let second = try original(1)
        _ = try await fleet.object(.post, "/v1/products/\(product)/selection", json: #"{"asset_id":"\#(second)"}"#)
        try await waitUntil("the re-selection to finish\n\(fleet.logs)", timeout: .seconds(180), poll: .milliseconds(250)) {
            let state = try await fleet.object(.get, "/v1/products/\(product)")
            return state["status"] as? String == "ready_for_sale" && state["selection_version"] as? Int == 2
        }
        try await fleet.expectGallery(product: product, design: second)
        #expect(try fleet.count("SELECT count(*) FROM product_assets WHERE is_active AND asset_role <> 'design'") == 2)
        #expect(try fleet.count("SELECT count(*) FROM product_assets WHERE archived_at IS NOT NULL AND asset_role <> 'design'") == 2)
        #expect(try fleet.count("SELECT count(*) FROM product_assets WHERE is_primary_design") == 1)
        // No double charge, nothing dead, nothing left to publish.
        #expect(try fleet.count("SELECT count(*) FROM credit_ledger WHERE kind = 'consume'") == 1)
        #expect(try fleet.count("SELECT count(*) FROM dead_letters") == 0)
        try await waitUntil("the outbox to drain") {
            try fleet.count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
        }
        #expect(fleet.allRunning, "\(fleet.logs)")
    }
}
