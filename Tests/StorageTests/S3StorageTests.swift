import Foundation
import HTTPTransport
import Settings
import Storage
import Testing

/// S3-compatible storage against a private moto server, built the way the daemons build
/// it: from `ITP_STORAGE_URL` and the `ITP_S3_*` settings through ``StorageFactory``.
@Suite struct S3StorageTests {
    private func storage(_ moto: MotoS3, url: String) throws -> any AssetStorage {
        let source = SettingsSource(environment: [
            "ITP_STORAGE_URL": url, "ITP_S3_ENDPOINT": moto.endpoint, "ITP_S3_REGION": "us-east-1",
            "ITP_S3_ACCESS_KEY_ID": "AKIATEST", "ITP_S3_SECRET_ACCESS_KEY": "secret",
        ])
        return StorageFactory.make(try DaemonOptions.parse([]).resolve(source: source).storage)
    }

    @Test func roundTripUnderThePrefix() async throws {
        let moto = try await MotoS3.start()
        defer { moto.stop() }
        let storage = try storage(moto, url: "s3://itp-assets/fleet-a/")
        let s3 = try #require(storage as? S3Storage)
        #expect(s3.prefix == "fleet-a")
        try await s3.client.createBucket()

        let key = try StorageKey("products/p1/designs/1/j1/0-dtf.png")
        let bytes: [UInt8] = Array(0...255) + [UInt8](repeating: 0x89, count: 300_000)
        #expect(try await storage.exists(key) == false)
        try await storage.put(key, bytes: bytes, contentType: "image/png")
        #expect(try await storage.exists(key))
        #expect(try await storage.get(key) == bytes)

        // The object really lives under the prefix, with its content type.
        let info = try #require(try await s3.client.head(key: "fleet-a/products/p1/designs/1/j1/0-dtf.png"))
        #expect(info.size == bytes.count)
        #expect(info.contentType == "image/png")

        // Overwrite (a redelivered job), then delete; deleting twice is fine.
        try await storage.put(key, bytes: [7], contentType: "image/png")
        #expect(try await storage.get(key) == [7])
        try await storage.delete(key)
        #expect(try await storage.exists(key) == false)
        try await storage.delete(key)
    }

    @Test func errorsAreClassified() async throws {
        let moto = try await MotoS3.start()
        defer { moto.stop() }
        let storage = try storage(moto, url: "s3://itp-missing-objects")
        try await (storage as? S3Storage)?.client.createBucket()
        let missing = try await #require(throws: StorageError.self) { try await storage.get(try StorageKey("no/such.png")) }
        #expect(missing.code == .notFound)
        #expect(!missing.isRetriable)

        // Nobody listens on the endpoint any more: retriable, so the job is retried later.
        moto.stop()
        let down = try await #require(throws: StorageError.self) {
            try await storage.put(try StorageKey("a.png"), bytes: [1], contentType: "image/png")
        }
        #expect(down.code == .unavailable)
        #expect(down.isRetriable)
    }

    @Test func directoryURLMakesLocalStorage() throws {
        let location = try DaemonOptions.parse([]).resolve(source: SettingsSource(environment: ["ITP_STORAGE_URL": "file:///var/tmp/itp-assets/"])).storage
        let storage = try #require(StorageFactory.make(location) as? LocalDirectoryStorage)
        #expect(storage.root == "/var/tmp/itp-assets")
    }
}
