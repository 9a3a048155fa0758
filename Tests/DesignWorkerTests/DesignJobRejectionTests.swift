import DesignProviders
import DesignWorker
import Foundation
import JobRuntime
import Testing

/// Untrusted provider output and stale jobs end where DESIGN.md §3 and §6 say.
@Suite struct DesignJobRejectionTests {
    @Test(arguments: [
        (Array("<html>502 Bad Gateway</html>".utf8), "not a PNG", "decode_png"),
        (try! FixedBytesProvider.png(width: 9000, height: 1), "width 9000 exceeds the limit of 8192", "check_image"),
    ])
    func unusableImageIsPermanentAndSaysWhy(bytes: [UInt8], reason: String, stage: String) async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct()
        let job = try await fixture.withWorker(provider: FixedBytesProvider(bytes: bytes)) {
            let job = try await fixture.enqueueDesign(fixture.payload(product))
            try await fixture.waitForState(job, "dead")
            return job
        }
        let row = try await fixture.job(job)
        #expect(row.attempts == 1, "permanent: never retried")
        #expect(row.errorClass == "permanent")
        #expect(row.failureStage == stage)
        #expect(row.lastError?.contains(reason) == true, "\(row.lastError ?? "")")
        #expect(row.costUnits == 1, "the one paid call is recorded")
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product)") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE routing_key = \(fixture.queue.name) AND exchange = 'itp.dead'") == 1)
        await fixture.tearDown()
    }

    @Test func cancelledProductIsSupersededWithoutCallingTheProvider() async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct(status: .cancelled)
        let provider = RecordingProvider()
        let job = try await fixture.withWorker(provider: provider) {
            let job = try await fixture.enqueueDesign(fixture.payload(product))
            try await fixture.waitForState(job, "superseded")
            return job
        }
        #expect(provider.received.isEmpty)
        #expect(try await fixture.job(job).lastError?.contains("cancelled") == true)
        #expect(try await fixture.productStatus(product) == "cancelled")
        await fixture.tearDown()
    }

    @Test func tooManyCandidatesIsPermanent() async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct()
        let provider = RecordingProvider()
        let job = try await fixture.withWorker(provider: provider) {
            let job = try await fixture.enqueueDesign(fixture.payload(product, candidates: 9))
            try await fixture.waitForState(job, "dead")
            return job
        }
        #expect(provider.received.isEmpty)
        #expect(try await fixture.job(job).lastError?.contains("ITP_DESIGN_CANDIDATES_MAX") == true)
        await fixture.tearDown()
    }
}
