import Finalizer
import Foundation
import Logging
import Testing

@Suite struct SettlementTests {
    func evaluate(_ fixture: SettlementFixture) async throws -> ProductSettlement.Decision {
        let product = fixture.product
        return try await fixture.database.withTransaction { try ProductSettlement.evaluate(product, on: $0) }
    }

    @Test func promotesWhenBothMockupsOfTheSelectionAreActiveAndConsumesCreditsOnce() async throws {
        let fixture = try await SettlementFixture.make()
        let design = try await fixture.primaryDesign()
        try await fixture.mockup("mockup_flat_lay", source: design)
        #expect(try await evaluate(fixture) == .nothingToDo)  // mr_imagine still missing
        try await fixture.mockup("mockup_mr_imagine", source: design)
        #expect(try await evaluate(fixture) == .promoted)
        #expect(try await evaluate(fixture) == .nothingToDo)  // a duplicate event changes nothing
        #expect(try await fixture.status() == "ready_for_sale")
        #expect(try await fixture.ledgerCount("consume") == 2)
        #expect(try await fixture.balance() == 8)
        await fixture.tearDown()
    }

    @Test func aMockupWhoseRecordedDesignHashIsNotThePrimarysIsNotPromoted() async throws {
        let fixture = try await SettlementFixture.make()
        let design = try await fixture.primaryDesign()
        try await fixture.mockup("mockup_flat_lay", source: design)
        try await fixture.mockup("mockup_mr_imagine", source: design, designHash: String(repeating: "0", count: 64))
        #expect(try await evaluate(fixture) == .nothingToDo)
        #expect(try await fixture.status() == "generating_mockups")
        await fixture.tearDown()
    }

    @Test func aFailedMrImagineStillGoesReadyWithTheFallback() async throws {
        let fixture = try await SettlementFixture.make()
        let design = try await fixture.primaryDesign()
        try await fixture.mockup("mockup_flat_lay", source: design)
        try await fixture.mockup("mockup_mr_imagine", source: design, failed: true)
        #expect(try await evaluate(fixture) == .promoted)
        await fixture.tearDown()
    }

    @Test func aDeadMrImagineJobWithoutAnAssetRowAlsoCountsAsTerminallyFailed() async throws {
        let fixture = try await SettlementFixture.make()
        let design = try await fixture.primaryDesign()
        try await fixture.mockup("mockup_flat_lay", source: design)
        try await fixture.job(kind: "mockup.mr_imagine", state: "dead", iteration: nil, error: "template exploded")
        #expect(try await evaluate(fixture) == .promoted)
        await fixture.tearDown()
    }

    @Test func mockupsOfAnOlderSelectionDoNotCount() async throws {
        let fixture = try await SettlementFixture.make()
        let design = try await fixture.primaryDesign()
        try await fixture.mockup("mockup_flat_lay", source: design, selection: 1)
        try await fixture.mockup("mockup_mr_imagine", source: design, selection: 1)
        let product = fixture.product
        try await fixture.database.withConnection { try $0.execute("UPDATE products SET selection_version = 2 WHERE id = \(product)") }
        #expect(try await evaluate(fixture) == .nothingToDo)
        #expect(try await fixture.status() == "generating_mockups")
        await fixture.tearDown()
    }

    @Test func aDeadFlatLayJobFailsTheProductAndRefunds() async throws {
        let fixture = try await SettlementFixture.make()
        try await fixture.primaryDesign()
        try await fixture.job(kind: "mockup.flat_lay", state: "dead", iteration: nil, error: "corrupt design")
        guard case .failed(let reason) = try await evaluate(fixture) else {
            Issue.record("expected the product to fail")
            return
        }
        #expect(reason.contains("corrupt design"))
        #expect(try await fixture.status() == "failed")
        #expect(try await fixture.ledgerCount("refund") == 2)
        #expect(try await fixture.balance() == 10)
        await fixture.tearDown()
    }

    @Test func aDeadDesignJobFailsTheProductAndRefunds() async throws {
        let fixture = try await SettlementFixture.make(status: "generating_designs", reserved: 1)
        try await fixture.job(kind: "design.generate", state: "dead", selection: nil, error: "provider said no")
        guard case .failed = try await evaluate(fixture) else {
            Issue.record("expected the product to fail")
            return
        }
        #expect(try await fixture.ledgerCount("refund") == 1)
        #expect(try await fixture.ledgerCount("consume") == 0)
        #expect(try await fixture.balance() == 10)
        await fixture.tearDown()
    }

    @Test func theSweepSettlesAProductWhoseEventWasLost() async throws {
        let fixture = try await SettlementFixture.make()
        let design = try await fixture.primaryDesign()
        try await fixture.mockup("mockup_flat_lay", source: design)
        try await fixture.mockup("mockup_mr_imagine", source: design)
        let sweep = SweepService(database: fixture.database, quietFor: .zero, logger: Logger(label: "test.sweep"))
        #expect(try await sweep.sweepOnce() == 1)
        #expect(try await fixture.status() == "ready_for_sale")
        #expect(try await sweep.sweepOnce() == 0)
        await fixture.tearDown()
    }
}
