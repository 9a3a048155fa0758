import Foundation
import JobRuntime
import Mockups
@testable import MockupWorker
import Postgres
import ProductFlow
import Storage
import Testing

/// The success transaction's last check, under the product's lock: a selection that committed
/// while the mockup rendered makes the commit answer `superseded` and write nothing (the
/// runtime supersedes the job in that transaction) instead of throwing a transient failure.
@Suite struct MockupActivationTests {
    /// The activation of a mockup job of `product`'s current selection (its job row exists, not published).
    private func activation(_ fixture: MockupFixture, _ product: MockupFixture.Product) async throws -> MockupActivation {
        let request = try fixture.request(.flatLay, product)
        try await fixture.database.withTransaction { try request.insertJobRow(on: $0) }
        return MockupActivation(
            payload: MockupJobPayload(productID: product.id, selectionVersion: product.selectionVersion, designAssetID: product.designID,
                                      productType: product.type, shirtColor: product.color),
            kind: .flatLay, jobID: request.id, storageKey: "products/\(product.id)/mockups/test.png",
            width: 10, height: 10, byteSize: 1, sha256: ContentDigest.sha256([1]), templateInfo: "{}")
    }

    @Test func aSelectionThatChangedWhileRenderingSupersedesWithoutWriting() async throws {
        let fixture = try await MockupFixture.make()
        let product = try await fixture.product()
        let activation = try await activation(fixture, product)
        try await fixture.reselect(product)
        let outcome = try await fixture.database.withTransaction { try activation.apply(on: $0) }
        guard case .superseded(let reason) = outcome else {
            Issue.record("expected superseded, got \(outcome)")
            await fixture.tearDown()
            return
        }
        #expect(reason.contains("selection changed while rendering"))
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product.id) AND asset_role = 'mockup_flat_lay'") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE routing_key = 'mockup.completed'") == 0)
        await fixture.tearDown()
    }

    @Test func aCurrentSelectionIsActivated() async throws {
        let fixture = try await MockupFixture.make()
        let product = try await fixture.product()
        let activation = try await activation(fixture, product)
        let outcome = try await fixture.database.withTransaction { try activation.apply(on: $0) }
        #expect(outcome == .succeeded)
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE product_id = \(product.id) AND asset_role = 'mockup_flat_lay' AND is_active
            """) == 1)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE routing_key = 'mockup.completed'") == 1)
        await fixture.tearDown()
    }
}
