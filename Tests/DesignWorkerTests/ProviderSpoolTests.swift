import DesignProviders
import DesignWorker
import FleetTesting
import Foundation
import Postgres
import Storage
import Synchronization
import Testing

/// The asset store, full: puts numbered in `failing` (0-based, in call order) fail as a
/// full disk does — through the same error the local storage builds from errno ENOSPC.
final class FullDiskStorage: AssetStorage {
    private let base: LocalDirectoryStorage
    private let failing: @Sendable (Int) -> Bool
    private let puts = Mutex(0)

    init(base: LocalDirectoryStorage, failing: @escaping @Sendable (Int) -> Bool) {
        self.base = base
        self.failing = failing
    }

    func put(_ key: StorageKey, bytes: [UInt8], contentType: String) async throws {
        let call = puts.withLock { count -> Int in
            count += 1
            return count - 1
        }
        if failing(call) { throw StorageError.system("cannot write \(base.path(of: key))", errno: ENOSPC) }
        try await base.put(key, bytes: bytes, contentType: contentType)
    }

    func get(_ key: StorageKey) async throws -> [UInt8] { try await base.get(key) }
    func exists(_ key: StorageKey) async throws -> Bool { try await base.exists(key) }
    func delete(_ key: StorageKey) async throws { try await base.delete(key) }
}

/// Issue 13: a storage failure after a paid provider call does not buy the images again.
@Suite struct ProviderSpoolTests {
    func spoolConfiguration() -> (DesignWorkerConfiguration, String) {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("itp-spool")).path
        var configuration = DesignWorkerConfiguration.forTests
        configuration.spoolDirectory = spool
        return (configuration, spool)
    }

    @Test func aRetryAfterAFullDiskReusesTheProvidersImages() async throws {
        let fixture = try await DesignFixture.make()
        let (configuration, spool) = spoolConfiguration()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let product = try await fixture.createProduct()
        let provider = RecordingProvider()
        // The first put of candidate 2 (3 variants per candidate) finds the disk full, once.
        let storage = FullDiskStorage(base: fixture.storage) { $0 == 6 }
        let job = try await fixture.withWorker(provider: provider, configuration: configuration, storage: storage) {
            let job = try await fixture.enqueueDesign(fixture.payload(product, candidates: 4))
            try await fixture.waitForState(job, "succeeded")
            return job
        }
        let row = try await fixture.job(job)
        #expect(row.attempts == 2)
        // One provider call per candidate in all: the retry read candidates 0–2 from the spool.
        #expect(provider.received.map(\.candidateIndex).sorted() == [0, 1, 2, 3], "\(provider.received.map(\.candidateIndex))")
        #expect(row.costUnits == 4)
        let error = try await fixture.database.withConnection { connection in
            try connection.query("SELECT error_message FROM job_attempts WHERE job_id = \(job) AND attempt = 1")[0].decode(String?.self, at: 0)
        } ?? "no error recorded"
        #expect(error.contains("No space left on device"), "\(error)")
        #expect(!error.contains("errno"), "\(error)")
        #expect(try await fixture.count("SELECT count(*) FROM product_assets WHERE job_id = \(job)") == 12)
        // Cleaned on success.
        #expect(!FileManager.default.fileExists(atPath: spool + "/" + job.uuidString.lowercased()))
        await fixture.tearDown()
    }

    @Test func aJobThatDiesOfAFullDiskPaidOnceAndLeavesNoSpool() async throws {
        let fixture = try await DesignFixture.make()
        let (configuration, spool) = spoolConfiguration()
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let product = try await fixture.createProduct()
        let provider = RecordingProvider()
        let storage = FullDiskStorage(base: fixture.storage) { _ in true }
        let job = try await fixture.withWorker(provider: provider, configuration: configuration, storage: storage) {
            let job = try await fixture.enqueueDesign(fixture.payload(product, candidates: 2))
            try await fixture.waitForState(job, "dead")
            return job
        }
        let row = try await fixture.job(job)
        #expect(row.attempts == 3)
        #expect(row.lastError?.contains("No space left on device") == true, "\(row.lastError ?? "-")")
        // Three attempts, each failing at candidate 0's first put: one provider call, not three.
        #expect(provider.received.count == 1)
        #expect(!FileManager.default.fileExists(atPath: spool + "/" + job.uuidString.lowercased()))
        await fixture.tearDown()
    }
}
