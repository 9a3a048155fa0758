import DesignProviders
import DesignWorker
import Foundation
import JobRuntime
import Storage
import Testing

/// Regenerate with feedback: a new iteration, the feedback and the reference design's
/// PNG go to the provider, earlier candidates stay stored and inactive.
@Suite struct RegenerateTests {
    @Test func feedbackAndReferenceReachTheProvider() async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct()
        let provider = RecordingProvider()
        try await fixture.withWorker(provider: provider) {
            let first = try await fixture.enqueueDesign(fixture.payload(product, candidates: 1))
            try await fixture.waitForState(first, "succeeded")
            // The shopper picks candidate 0's print file as the reference; intake bumps the iteration.
            let (reference, originalKey) = try await fixture.database.withConnection { connection in
                let reference = try connection.query("SELECT id FROM product_assets WHERE job_id = \(first) AND variant = 'dtf'")[0].decode(UUID.self, at: 0)
                let key = try connection.query("SELECT storage_key FROM product_assets WHERE job_id = \(first) AND variant = 'original'")[0].decode(String.self, at: 0)
                try connection.execute("UPDATE products SET iteration = 2 WHERE id = \(product)")
                return (reference, key)
            }
            let second = try await fixture.enqueueDesign(fixture.payload(product, iteration: 2, candidates: 1, feedback: "make it blue", reference: reference))
            try await fixture.waitForState(second, "succeeded")

            let request = try #require(provider.received.last)
            #expect(request.feedback == "make it blue")
            #expect(request.referencePNG == (try await fixture.storage.get(try StorageKey(originalKey))), "the original, not the print file")
        }
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product) AND NOT is_active") == 6)
        #expect(try await fixture.count("SELECT count(DISTINCT iteration) FROM product_assets WHERE product_id = \(product)") == 2)
        #expect(try await fixture.productStatus(product) == "awaiting_selection")
        await fixture.tearDown()
    }
}
