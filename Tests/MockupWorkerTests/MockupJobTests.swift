import FleetTesting
import Foundation
import Mockups
import MockupWorker
import PNG
import Postgres
import Storage
import Testing

/// A mockup job end to end through the job runtime: claim, render, store, commit.
@Suite struct MockupJobTests {
    @Test(arguments: MockupKind.allCases)
    func producesOneActiveAssetDescribingItsTemplate(kind: MockupKind) async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(kind)
        defer { worker.cancel() }
        let product = try await fixture.product(type: "tshirt", color: "black")
        let job = try await fixture.enqueue(try fixture.request(kind, product))
        try await fixture.waitForState(job, "succeeded")

        let role = kind.assetRole
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE product_id = \(product.id) AND asset_role = \(role)::asset_role
            """) == 1)
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets
            WHERE product_id = \(product.id) AND asset_role = \(role)::asset_role AND is_active AND archived_at IS NULL
              AND generation_status = 'succeeded' AND source_asset_id = \(product.designID) AND selection_version = 1
              AND job_id = \(job) AND content_type = 'image/png'
            """) == 1)
        let infoText = try #require(try await fixture.text("""
            SELECT template_info::text FROM product_assets WHERE job_id = \(job)
            """))
        let info = try PostgresJSON(text: infoText).decode(TemplateInfo.self)
        let expectedID = kind == .flatLay ? "tshirt-black-flat-lay" : "tshirt-black-mr-imagine"
        #expect(info.productType == "tshirt" && info.color == "black" && info.kind == kind)
        #expect(info.templateID == expectedID && info.templateVersion == 1)
        #expect(info.rendererVersion == MockupRenderer.version)
        #expect(info.fallback == false && info.fallbackReason == nil)
        switch (kind, info.printArea) {
        case (.flatLay, .rectangle), (.mrImagine, .quad): break
        default: Issue.record("unexpected print area \(info.printArea) for \(kind)")
        }
        #expect(infoText.contains("\"fallback_reason\": null"))

        // The row describes the stored blob exactly, under the job's deterministic key.
        let key = try MockupStorageKey.make(productID: product.id, selectionVersion: 1, kind: kind, jobID: job)
        #expect(try await fixture.text("SELECT storage_key FROM product_assets WHERE job_id = \(job)") == key.rawValue)
        let png = try await fixture.storage.get(key)
        let header = try PNGDecoder.header(of: png)
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE job_id = \(job) AND width = \(header.width) AND height = \(header.height)
              AND byte_size = \(png.count) AND sha256 = \(ContentDigest.sha256(png))
            """) == 1)
        // And the finalizer hears of it, through the outbox.
        #expect(try await fixture.count("""
            SELECT count(*) FROM outbox WHERE routing_key = 'mockup.completed'
              AND lower(convert_from(body, 'UTF8')::jsonb -> 'payload' ->> 'job_id') = \(job.uuidString.lowercased())
              AND convert_from(body, 'UTF8')::jsonb -> 'payload' ->> 'asset_role' = \(role)
            """) == 1)
        await fixture.tearDown(stopping: [worker])
    }

    @Test func aNewerSelectionSupersedesTheJobAndNothingIsActivated() async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(.flatLay)
        defer { worker.cancel() }
        let product = try await fixture.product()
        try await fixture.reselect(product)
        let job = try await fixture.enqueue(try fixture.request(.flatLay, product, selectionVersion: 1))
        try await fixture.waitForState(job, "superseded")
        #expect(try await fixture.text("SELECT last_error FROM jobs WHERE id = \(job)")?.contains("stale") == true)
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE asset_role = 'mockup_flat_lay'") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE routing_key LIKE 'mockup.%'") == 0)
        await fixture.tearDown(stopping: [worker])
    }

    @Test func aRerunOfTheSameJobLeavesOneAssetAndOneBlob() async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(.mrImagine)
        defer { worker.cancel() }
        let product = try await fixture.product()
        let request = try fixture.request(.mrImagine, product)
        let job = try await fixture.enqueue(request)
        try await fixture.waitForState(job, "succeeded")

        // As if the first run crashed after storing but before its ack: the job is open
        // again and its message arrives twice.
        try await fixture.database.withTransaction { connection in
            try connection.execute("UPDATE jobs SET state = 'queued', finished_at = NULL WHERE id = \(job)")
            try request.message().insert(on: connection)
            try request.message().insert(on: connection)
        }
        try await fixture.relayJobMessages()
        try await waitUntil("the second run to succeed") {
            try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(job) AND state = 'succeeded' AND attempts = 2") == 1
        }
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE asset_role = 'mockup_mr_imagine'") == 1)
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE asset_role = 'mockup_mr_imagine' AND is_active") == 1)
        let directory = fixture.storage.root + "/products/\(product.id.uuidString.lowercased())/mockups/1/mr_imagine"
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.count == 1)
        await fixture.tearDown(stopping: [worker])
    }

    @Test func aNewSelectionArchivesTheEarlierMockup() async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(.flatLay)
        defer { worker.cancel() }
        var product = try await fixture.product()
        let first = try await fixture.enqueue(try fixture.request(.flatLay, product))
        try await fixture.waitForState(first, "succeeded")
        try await fixture.reselect(product)
        product.designID = try #require(try await fixture.text("""
            SELECT id::text FROM product_assets WHERE product_id = \(product.id) AND is_primary_design
            """).flatMap(UUID.init(uuidString:)))
        product.selectionVersion = 2
        // The new primary's blob (the re-selection above recorded only its row).
        let newKey = try #require(try await fixture.text("SELECT storage_key FROM product_assets WHERE id = \(product.designID)"))
        try await fixture.storage.put(try StorageKey(newKey), bytes: try MockupFixture.design(width: 300, height: 300), contentType: "image/png")
        let second = try await fixture.enqueue(try fixture.request(.flatLay, product))
        try await fixture.waitForState(second, "succeeded")
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE job_id = \(first) AND NOT is_active AND archived_at IS NOT NULL
            """) == 1)
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets WHERE job_id = \(second) AND is_active AND selection_version = 2
            """) == 1)
        await fixture.tearDown(stopping: [worker])
    }

    @Test func aColourWithoutTemplatesFallsBackAndSaysSo() async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(.flatLay)
        defer { worker.cancel() }
        let product = try await fixture.product(type: "tshirt", color: "chartreuse")
        let job = try await fixture.enqueue(try fixture.request(.flatLay, product))
        try await fixture.waitForState(job, "succeeded")
        let infoText = try #require(try await fixture.text("SELECT template_info::text FROM product_assets WHERE job_id = \(job) AND is_active"))
        let info = try PostgresJSON(text: infoText).decode(TemplateInfo.self)
        #expect(info.fallback)
        #expect(info.requestedColor == "chartreuse" && info.color == "white" && info.templateID == "tshirt-white-flat-lay")
        #expect(info.fallbackReason?.contains("chartreuse") == true)
        await fixture.tearDown(stopping: [worker])
    }

    @Test func aCorruptDesignIsPermanentAndItsFailureIsRecorded() async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(.mrImagine)
        let recorder = fixture.startFailureRecorder()
        defer { worker.cancel(); recorder.cancel() }
        let valid = try MockupFixture.design(width: 450, height: 540)
        let product = try await fixture.product(design: Array(valid.prefix(valid.count / 2)))
        let job = try await fixture.enqueue(try fixture.request(.mrImagine, product))
        try await fixture.waitForState(job, "dead")
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(job) AND attempts = 1 AND error_class = 'permanent'") == 1)
        #expect(try await fixture.text("SELECT last_error FROM jobs WHERE id = \(job)")?.contains("design") == true)

        // The finalizer's dead-letter recorder, with the mockup hook, records the failure.
        try await fixture.relayJobMessages()
        try await waitUntil("the failed asset") {
            try await fixture.count("SELECT count(*) FROM product_assets WHERE job_id = \(job)") == 1
        }
        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets
            WHERE job_id = \(job) AND asset_role = 'mockup_mr_imagine' AND generation_status = 'failed' AND NOT is_active
              AND error_status = 'permanent' AND error_message LIKE '%design%' AND source_asset_id = \(product.designID)
              AND selection_version = 1 AND storage_key IS NULL
            """) == 1)
        // No mockup.failed event: the finalizer's dead-job hook settles the product in the
        // transaction that records the failure (issue 14).
        #expect(try await fixture.count("""
            SELECT count(*) FROM outbox WHERE routing_key = 'mockup.failed'
              AND lower(convert_from(body, 'UTF8')::jsonb -> 'payload' ->> 'job_id') = \(job.uuidString.lowercased())
            """) == 0)
        #expect(try await fixture.count("SELECT count(*) FROM dead_letters WHERE job_id = \(job)") == 1)
        await fixture.tearDown(stopping: [worker, recorder])
    }

    @Test func aDesignOverThePixelLimitIsPermanent() async throws {
        let fixture = try await MockupFixture.make()
        let limits = DecodingLimits(maxWidth: 400, maxHeight: 400, maxPixels: 160_000)
        let worker = try fixture.startWorker(.flatLay, renderer: MockupRenderer(designLimits: limits))
        defer { worker.cancel() }
        let product = try await fixture.product()
        let job = try await fixture.enqueue(try fixture.request(.flatLay, product))
        try await fixture.waitForState(job, "dead")
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(job) AND attempts = 1 AND error_class = 'permanent' AND failure_stage = 'render'") == 1)
        #expect(try await fixture.text("SELECT last_error FROM jobs WHERE id = \(job)")?.contains("designTooLarge") == true)
        await fixture.tearDown(stopping: [worker])
    }

    @Test func aMissingDesignBlobIsPermanentAndNamesTheKey() async throws {
        let fixture = try await MockupFixture.make()
        let worker = try fixture.startWorker(.flatLay)
        defer { worker.cancel() }
        let product = try await fixture.product(store: false)
        let job = try await fixture.enqueue(try fixture.request(.flatLay, product))
        try await fixture.waitForState(job, "dead")
        let error = try #require(try await fixture.text("SELECT last_error FROM jobs WHERE id = \(job)"))
        #expect(error.contains(product.designKey.rawValue))
        #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE id = \(job) AND error_class = 'permanent' AND failure_stage = 'load_design'") == 1)
        await fixture.tearDown(stopping: [worker])
    }
}
