import FleetTesting
import Foundation
import Mockups
import Postgres
import ProductFlow
import Storage
import Testing

/// A library sync's staged mockups against real workers (issue 20, migration 0015): the
/// first waits inactive while the gallery keeps the old three images, the commit of the
/// second swaps design and both mockups and moves the product to the new version at once; a
/// staged mockup that dies abandons the sync and leaves the product as it was; a status move
/// (a re-selection) ends the sync, and its staged jobs supersede themselves.
@Suite struct LibrarySyncSwapTests {
    @Test func theSecondStagedMockupSwapsDesignAndBothMockupsAtOnce() async throws {
        let fixture = try await MockupFixture.make()
        let sync = try await Self.stage(fixture, design: try MockupFixture.design(width: 450, height: 540))

        // Each kind on its own queue, both workers running, as in the fleet.
        let mrImagineQueue = try await fixture.declareQueue()
        let flatLayWorker = try fixture.startWorker(.flatLay)
        let mrImagineWorker = try fixture.startWorker(.mrImagine, on: mrImagineQueue)
        let flatLay = try await fixture.enqueue(try fixture.request(.flatLay, sync.staged))
        try await fixture.waitForState(flatLay, "succeeded")
        // Half-way: the new flat-lay is an inactive row; the gallery is the old one, whole.
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE job_id = \(flatLay) AND NOT is_active AND archived_at IS NULL
              AND source_asset_id = \(sync.staged.designID)
            """) == 1)
        #expect(try await Self.gallery(fixture, sync.product) == [sync.product.designID, sync.oldMockups[0], sync.oldMockups[1]])
        #expect(try await fixture.count("SELECT count(*) FROM products WHERE id = \(sync.product.id) AND sync_version_id = \(sync.version2)") == 1)

        let mrImagine = try await fixture.enqueue(try fixture.request(.mrImagine, sync.staged, on: mrImagineQueue))
        try await fixture.waitForState(mrImagine, "succeeded")
        let newMockups = try await fixture.database.withConnection { connection in
            try [flatLay, mrImagine].map { job in
                try connection.query("SELECT id FROM product_assets WHERE job_id = \(job)")[0].decode(UUID.self, column: "id")
            }
        }
        #expect(try await Self.gallery(fixture, sync.product) == ([sync.staged.designID] + newMockups).map(Optional.some))
        #expect(try await fixture.count("""
            SELECT count(*) FROM products WHERE id = \(sync.product.id) AND status = 'ready_for_sale'
              AND library_version_id = \(sync.version2) AND sync_version_id IS NULL AND sync_design_asset_id IS NULL
              AND shirt_color = 'black' AND library_overrides = '{}'
            """) == 1)
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE id = ANY(\([sync.product.designID] + sync.oldMockups))
              AND NOT is_active AND archived_at IS NOT NULL
            """) == 3)
        mrImagineWorker.cancel()
        await mrImagineWorker.value
        await fixture.deleteQueue(mrImagineQueue)
        await fixture.tearDown(stopping: [flatLayWorker])
    }

    @Test func aStagedMockupThatDiesAbandonsTheSync() async throws {
        let fixture = try await MockupFixture.make()
        let valid = try MockupFixture.design(width: 450, height: 540)
        let sync = try await Self.stage(fixture, design: Array(valid.prefix(valid.count / 2)))
        let worker = try fixture.startWorker(.mrImagine)
        let recorder = fixture.startFailureRecorder()
        let job = try await fixture.enqueue(try fixture.request(.mrImagine, sync.staged))
        try await fixture.waitForState(job, "dead")
        try await fixture.relayJobMessages()
        try await waitUntil("the sync to be abandoned") {
            try await fixture.count("SELECT count(*) FROM products WHERE id = \(sync.product.id) AND sync_failure IS NOT NULL") == 1
        }
        #expect(try await fixture.text("SELECT sync_failure FROM products WHERE id = \(sync.product.id)")?
            .contains("the mockup_mr_imagine mockup of the new version failed") == true)
        #expect(try await fixture.count("""
            SELECT count(*) FROM products WHERE id = \(sync.product.id) AND status = 'ready_for_sale'
              AND library_version_id = \(sync.version1) AND sync_version_id IS NULL
            """) == 1)
        // No failed mockup row for the gallery: the product's own images stay.
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE job_id = \(job)") == 0)
        #expect(try await Self.gallery(fixture, sync.product) == [sync.product.designID, sync.oldMockups[0], sync.oldMockups[1]])
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE id = \(sync.staged.designID) AND archived_at IS NOT NULL AND NOT is_active
            """) == 1)
        await fixture.tearDown(stopping: [worker, recorder])
    }

    @Test func aStatusMoveEndsTheSyncAndItsJobsSupersedeThemselves() async throws {
        let fixture = try await MockupFixture.make()
        let sync = try await Self.stage(fixture, design: try MockupFixture.design(width: 450, height: 540))
        try await fixture.database.withTransaction { connection in
            _ = try ProductTransition.move(sync.product.id, to: .cancelled, on: connection)
        }
        #expect(try await fixture.count("""
            SELECT count(*) FROM products WHERE id = \(sync.product.id) AND sync_version_id IS NULL AND sync_design_asset_id IS NULL
              AND sync_shirt_color IS NULL
            """) == 1)
        let worker = try fixture.startWorker(.flatLay)
        let job = try await fixture.enqueue(try fixture.request(.flatLay, sync.staged))
        try await fixture.waitForState(job, "superseded")
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE job_id = \(job)") == 0)
        await fixture.tearDown(stopping: [worker])
    }

    private struct Staged {
        /// The product as it is on sale (its primary design, version 1).
        var product: MockupFixture.Product
        /// The same product with the staged design: what the sync's mockup jobs render.
        var staged: MockupFixture.Product
        var oldMockups: [UUID]
        var version1: UUID
        var version2: UUID
    }

    /// A product on sale made from version 1 of a library design, with its two mockups, and
    /// a sync to version 2 staged as the intake stages it: the new design an inactive
    /// asset named by the product, colour and placement the version's.
    private static func stage(_ fixture: MockupFixture, design bytes: [UInt8]) async throws -> Staged {
        let product = try await fixture.product()
        let stagedID = UUID()
        let stagedKey = try StorageKey("products/\(product.id.uuidString.lowercased())/designs/\(stagedID.uuidString.lowercased()).png")
        try await fixture.storage.put(stagedKey, bytes: bytes, contentType: "image/png")
        let (version1, version2, mockups) = try await fixture.database.withTransaction { connection -> (UUID, UUID, [UUID]) in
            let design = try connection.query("""
                INSERT INTO library_designs (owner_id, name) SELECT owner_id, 'emblem' FROM products WHERE id = \(product.id) RETURNING id
                """)[0].decode(UUID.self, column: "id")
            let versions = try [1, 2].map { number in
                try connection.query("""
                    INSERT INTO library_design_versions (design_id, version, selected_variant, prompt, iteration, product_type, shirt_color)
                    VALUES (\(design), \(number), 'dtf', 'an emblem', 1, 'tshirt', 'black') RETURNING id
                    """)[0].decode(UUID.self, column: "id")
            }
            try connection.execute("""
                UPDATE products SET status = 'ready_for_sale', library_design_id = \(design), library_version_id = \(versions[0])
                WHERE id = \(product.id)
                """)
            let mockups = try ["mockup_flat_lay", "mockup_mr_imagine"].map { role in
                try connection.query("""
                    INSERT INTO product_assets (product_id, asset_role, is_active, source_asset_id, selection_version, storage_key,
                        content_type, width, height, byte_size, sha256, template_info)
                    VALUES (\(product.id), \(role)::asset_role, true, \(product.designID), 1,
                        \("products/\(product.id.uuidString.lowercased())/\(role).png"), 'image/png', 10, 10, 1,
                        \(ContentDigest.sha256(Array(role.utf8))), '{"template_id": "old"}'::jsonb)
                    RETURNING id
                    """)[0].decode(UUID.self, column: "id")
            }
            try connection.execute("""
                INSERT INTO product_assets (id, product_id, asset_role, variant, iteration, candidate_index, storage_key,
                    content_type, width, height, byte_size, sha256)
                VALUES (\(stagedID), \(product.id), 'design', 'dtf', 1, 1, \(stagedKey.rawValue), 'image/png', 450, 540,
                    \(bytes.count), \(ContentDigest.sha256(bytes)))
                """)
            try connection.execute("""
                UPDATE products SET sync_version_id = \(versions[1]), sync_design_asset_id = \(stagedID), sync_shirt_color = 'black'
                WHERE id = \(product.id)
                """)
            return (versions[0], versions[1], mockups)
        }
        var staged = product
        staged.designID = stagedID
        staged.designKey = stagedKey
        return Staged(product: product, staged: staged, oldMockups: mockups, version1: version1, version2: version2)
    }

    /// What the gallery shows: the primary design, the active flat-lay and mr_imagine.
    private static func gallery(_ fixture: MockupFixture, _ product: MockupFixture.Product) async throws -> [UUID?] {
        try await fixture.database.withConnection { connection in
            let row = try connection.query("""
                SELECT (SELECT id FROM product_assets WHERE product_id = \(product.id) AND is_primary_design AND is_active) AS design,
                       (SELECT id FROM product_assets WHERE product_id = \(product.id) AND asset_role = 'mockup_flat_lay' AND is_active) AS flat_lay,
                       (SELECT id FROM product_assets WHERE product_id = \(product.id) AND asset_role = 'mockup_mr_imagine' AND is_active) AS mr_imagine
                """)[0]
            return try ["design", "flat_lay", "mr_imagine"].map { try row.decode(UUID?.self, column: $0) }
        }
    }
}
