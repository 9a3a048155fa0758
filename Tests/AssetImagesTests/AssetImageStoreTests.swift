import AssetImages
import Foundation
import PNG
import Storage
import Testing

@Suite("AssetImageStore")
struct AssetImageStoreTests {
    /// A storage root of its own under the temporary directory, removed after `body`.
    static func withStorage(_ body: (LocalDirectoryStorage) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("asset-images-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await body(LocalDirectoryStorage(root: root))
    }

    @Test("a thumbnail is made on the first request, kept under its derived key, then served from storage")
    func cached() async throws {
        try await Self.withStorage { storage in
            let source = try StorageKey("products/p/designs/1/0-original.png")
            let png = try SamplePNG.make(width: 1200, height: 800)
            try await storage.put(source, bytes: png, contentType: "image/png")
            let image = StoredImage(storageKey: source.rawValue, contentType: "image/png", sha256: ContentDigest.sha256(png), width: 1200)
            let store = AssetImageStore(storage: storage)

            // A burst of first requests: one render, every answer the same bytes.
            let answers = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<8 { group.addTask { try await store.image(image, width: .w512).bytes } }
                return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
            }
            #expect(Set(answers).count == 1)
            let key = try ThumbnailKey.derived(from: source, width: .w512)
            #expect(try await storage.get(key) == answers[0])
            #expect(try PNGDecoder.header(of: answers[0]).width == 512)

            // Served from the cache: the source blob is no longer needed.
            try await storage.delete(source)
            let again = try await store.image(image, width: .w512)
            #expect(again.bytes == answers[0] && again.contentType == "image/png" && again.entityTag == image.entityTag(.w512))
            await #expect(throws: StorageError.self) { _ = try await store.image(image, width: nil) }

            try await store.deleteThumbnails(of: source.rawValue)
            #expect(try await storage.exists(key) == false)
        }
    }

    @Test("full size and widths not smaller than the image serve the stored bytes as they are")
    func original() async throws {
        try await Self.withStorage { storage in
            let source = try StorageKey("small.png")
            let png = try SamplePNG.make(width: 200, height: 100)
            try await storage.put(source, bytes: png, contentType: "image/png")
            let image = StoredImage(storageKey: source.rawValue, contentType: "image/png", sha256: ContentDigest.sha256(png), width: 200)
            let store = AssetImageStore(storage: storage)
            #expect(try await store.image(image, width: nil).bytes == png)
            #expect(try await store.image(image, width: .w256).bytes == png)
            #expect(try await storage.exists(try ThumbnailKey.derived(from: source, width: .w256)) == false)
        }
    }
}
