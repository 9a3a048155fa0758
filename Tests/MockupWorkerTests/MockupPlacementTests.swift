import FleetTesting
import Foundation
import Mockups
import MockupWorker
import Postgres
import ProductFlow
import Storage
import Testing

/// A mockup job with a placement: the side's template, the placement and the design's
/// hash recorded in `template_info`.
@Suite struct MockupPlacementTests {
    @Test(arguments: MockupKind.allCases)
    func aFullBackPlacementRendersTheBackTemplateAndRecordsWhatItDrew(kind: MockupKind) async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(kind)
        defer { worker.cancel() }
        let product = try await fixture.product(type: "hoodie", color: "navy")
        let placement = PrintPlacement(preset: "full_back", side: "back", xMM: 0, yMM: 0, widthMM: 276, heightMM: 360)
        let job = try await fixture.enqueue(try fixture.request(kind, product, placement: placement))
        try await fixture.waitForState(job, "succeeded")
        let infoText = try #require(try await fixture.text("SELECT template_info::text FROM product_assets WHERE job_id = \(job)"))
        let info = try PostgresJSON(text: infoText).decode(TemplateInfo.self)
        #expect(info.side == .back)
        #expect(info.templateID == (kind == .flatLay ? "hoodie-navy-back-flat-lay" : "hoodie-navy-back-mr-imagine"))
        #expect(info.placement?.preset == "full_back")
        #expect(info.placement?.box.width == 276)
        // The hash of exactly the design blob rendered: the primary's own.
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets m JOIN product_assets d ON d.id = m.source_asset_id
            WHERE m.job_id = \(job) AND m.template_info->>'design_sha256' = encode(d.sha256, 'hex')
            """) == 1)
        await fixture.tearDown(stopping: [worker])
    }
}
