import DesignProviders
import DesignWorker
import FleetTesting
import Foundation
import JobRuntime
import PNG
import Postgres
import ProductFlow
import Storage
import Testing

/// `design.generate` end to end through the real job runtime, Postgres and RabbitMQ.
@Suite struct DesignJobTests {
    @Test func fourCandidatesBecomeTwelvePendingDesignAssets() async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct()
        let provider = RecordingProvider()
        let job = try await fixture.withWorker(provider: provider) {
            let job = try await fixture.enqueueDesign(fixture.payload(product))
            try await fixture.waitForState(job, "succeeded")
            return job
        }

        #expect(try await fixture.count("""
            SELECT count(*) FROM product_assets
            WHERE product_id = \(product) AND asset_role = 'design' AND job_id = \(job) AND iteration = 1
              AND NOT is_active AND pending_selection AND NOT is_primary_design AND generation_status = 'succeeded'
            """) == 12)
        #expect(try await fixture.count("SELECT count(DISTINCT (candidate_index, variant)) FROM product_assets WHERE job_id = \(job)") == 12)
        #expect(try await fixture.productStatus(product) == "awaiting_selection")
        // No design.generated event for the finalizer (issue 14): the commit moved the product
        // itself, so no finalizer.event job and no outbox row for one.
        #expect(try await fixture.count("""
            SELECT count(*) FROM jobs j WHERE j.kind = 'finalizer.event' AND j.product_id = \(product)
            """) == 0)
        #expect(try await fixture.count("SELECT count(*) FROM outbox WHERE routing_key = 'design.generated'") == 0)
        let row = try await fixture.job(job)
        #expect(row.attempts == 1)
        #expect(row.costUnits == 4)
        #expect(provider.received.map(\.candidateIndex) == [0, 1, 2, 3])

        // Every row describes its blob exactly: key, size and digest.
        let assets = try await fixture.database.withConnection { connection in
            try connection.query("SELECT storage_key, byte_size, sha256, candidate_index, variant::text, width, height FROM product_assets WHERE job_id = \(job)")
                .map { row in
                    (key: try row.decode(String.self, at: 0), size: try row.decode(Int.self, at: 1), sha: try row.decode([UInt8].self, at: 2),
                     candidate: try row.decode(Int.self, at: 3), variant: try row.decode(String.self, at: 4),
                     width: try row.decode(Int.self, at: 5), height: try row.decode(Int.self, at: 6))
                }
        }
        for asset in assets {
            let expected = try DesignStorageKey.make(
                product: product, iteration: 1, job: job, candidate: asset.candidate, variant: try #require(DesignVariant(rawValue: asset.variant)))
            #expect(asset.key == expected.rawValue)
            let bytes = try await fixture.storage.get(try StorageKey(asset.key))
            #expect(bytes.count == asset.size)
            #expect(ContentDigest.sha256(bytes) == asset.sha)
            let header = try PNGDecoder.header(of: bytes)
            #expect((header.width, header.height) == (asset.width, asset.height))
            if asset.variant == "dtf" { #expect(header.dpi == 300) }
        }
        #expect(try fixture.files(product: product, iteration: 1, job: job).count == 12)
        await fixture.tearDown()
    }

    /// A job run a second time (a redelivery after a lost ack, a replay): the same keys
    /// are overwritten and the rows are not duplicated.
    @Test func runningTheSameJobTwiceChangesNothing() async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct()
        let provider = RecordingProvider()
        let payload = fixture.payload(product)
        let (job, keysBefore) = try await fixture.withWorker(provider: provider) {
            let job = try await fixture.enqueueDesign(payload)
            try await fixture.waitForState(job, "succeeded")
            let keys = try await self.keys(fixture, job: job)
            // Redeliver: the job row is runnable again and its message is published again.
            try await fixture.database.withTransaction { connection in
                try connection.execute("UPDATE jobs SET state = 'queued', finished_at = NULL WHERE id = \(job)")
                let request = JobRequest(
                    kind: JobKinds.designGenerate, queue: fixture.queue, payload: try JSONEncoder().encode(payload),
                    productID: product, iteration: 1, id: job)
                try request.message().insert(on: connection)
            }
            try await waitUntil("the second run to finish", timeout: .seconds(180)) {
                let row = try await fixture.job(job)
                return row.state == "succeeded" && row.attempts == 2
            }
            return (job, keys)
        }
        #expect(provider.received.count == 8)
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE product_id = \(product)") == 12)
        #expect(try await keys(fixture, job: job) == keysBefore)
        #expect(try fixture.files(product: product, iteration: 1, job: job).count == 12, "overwritten in place; no temp files left")
        #expect(try await fixture.productStatus(product) == "awaiting_selection")
        await fixture.tearDown()
    }

    /// A transient provider failure on the third candidate: the job is retried through the
    /// delay queue; the retry overwrites what the first attempt stored.
    @Test func transientFailureMidJobIsRetriedWithoutDuplicates() async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct()
        let provider = RecordingProvider(failing: [2: ProviderError(.transient, "HTTP 503 from the image API")])
        let job = try await fixture.withWorker(provider: provider) {
            let job = try await fixture.enqueueDesign(fixture.payload(product))
            try await fixture.waitForState(job, "succeeded")
            return job
        }
        let row = try await fixture.job(job)
        #expect(row.attempts == 2)
        // Both calls of the failed attempt were billed, and the four of the second.
        #expect(row.costUnits == 2 + 4)
        #expect(try await fixture.count("""
            SELECT count(*) FROM job_attempts WHERE job_id = \(job) AND outcome = 'failed' AND error_class = 'transient'
              AND failure_stage = 'provider_call' AND error_message LIKE '%503%'
            """) == 1)
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE job_id = \(job)") == 12)
        #expect(try fixture.files(product: product, iteration: 1, job: job).count == 12)
        await fixture.tearDown()
    }

    private func keys(_ fixture: DesignFixture, job: UUID) async throws -> [String] {
        try await fixture.database.withConnection { connection in
            try connection.query("SELECT storage_key FROM product_assets WHERE job_id = \(job) ORDER BY storage_key")
                .map { try $0.decode(String.self, at: 0) }
        }
    }

    /// A job cancelled mid-way (the shutdown grace is over) stops before its next candidate:
    /// no more provider calls, nothing committed, the message left for redelivery.
    @Test func aCancelledJobStopsBeforeItsNextCandidate() async throws {
        let fixture = try await DesignFixture.make()
        let product = try await fixture.createProduct()
        let provider = CancellingProvider()
        let job = try await fixture.withWorker(provider: provider) {
            let job = try await fixture.enqueueDesign(fixture.payload(product, candidates: 4))
            try await waitUntil("the first provider call") { provider.callCount >= 1 }
            return job
        }
        // The worker has drained: the cancelled job's task has ended.
        #expect(provider.callCount == 1)
        #expect(try await fixture.job(job).state == "running")
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE job_id = \(job)") == 0)
        await fixture.tearDown()
    }
}
