import Foundation
import Storage
import Testing

/// The embedded default backend: a directory, written by write-then-rename.
@Suite struct LocalDirectoryStorageTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("itp-storage-\(UUID().uuidString)").path

    @Test func roundTripOverwriteAndDelete() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = LocalDirectoryStorage(root: root + "/")
        let key = try StorageKey("products/p1/designs/1/j1/0-original.png")
        let first: [UInt8] = Array(0...255) + [0, 0, 0xFF]
        #expect(try await storage.exists(key) == false)

        try await storage.put(key, bytes: first, contentType: "image/png")
        #expect(try await storage.exists(key))
        #expect(try await storage.get(key) == first)
        #expect(FileManager.default.fileExists(atPath: root + "/products/p1/designs/1/j1/0-original.png"))

        // A redelivered job writes the same key again: replaced, never duplicated.
        let second: [UInt8] = [1, 2, 3]
        try await storage.put(key, bytes: second, contentType: "image/png")
        #expect(try await storage.get(key) == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/products/p1/designs/1/j1") == ["0-original.png"])

        try await storage.delete(key)
        #expect(try await storage.exists(key) == false)
        // Deleting a missing object is not an error.
        try await storage.delete(key)
    }

    @Test func missingObjectIsNotFound() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = LocalDirectoryStorage(root: root)
        let error = try await #require(throws: StorageError.self) { try await storage.get(try StorageKey("no/such.png")) }
        #expect(error.code == .notFound)
        #expect(!error.isRetriable)
    }

    @Test func emptyAndLargeObjectsReadBackByteForByte() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = LocalDirectoryStorage(root: root)
        let empty = try StorageKey("objects/empty.bin")
        try await storage.put(empty, bytes: [], contentType: "application/octet-stream")
        #expect(try await storage.get(empty) == [])

        let large = try StorageKey("objects/large.bin")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(6 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try await storage.put(large, bytes: bytes, contentType: "application/octet-stream")
        #expect(try await storage.get(large) == bytes)
    }

    /// Something that is there but cannot be read (here a directory where an object should
    /// be) is a fault to retry or report, not a missing object.
    @Test func anUnreadableObjectIsUnavailableNotMissing() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = LocalDirectoryStorage(root: root)
        try FileManager.default.createDirectory(atPath: root + "/objects/odd.png", withIntermediateDirectories: true)
        let error = try await #require(throws: StorageError.self) { try await storage.get(try StorageKey("objects/odd.png")) }
        #expect(error.code == .unavailable)
        #expect(error.isRetriable)
    }

    /// Write-then-rename: after many concurrent writes of several keys, only the final
    /// objects exist — no `.tmp-*` file is left behind, and every object is one whole write.
    @Test func concurrentWritesLeaveNoTemporaryFiles() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = LocalDirectoryStorage(root: root)
        let keys = try (0..<4).map { try StorageKey("d/\($0).bin") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<8 {
                for key in keys {
                    group.addTask {
                        try await storage.put(key, bytes: [UInt8](repeating: UInt8(round), count: 64 << 10), contentType: "application/octet-stream")
                    }
                }
            }
            try await group.waitForAll()
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/d").sorted()
        #expect(names == ["0.bin", "1.bin", "2.bin", "3.bin"])
        for key in keys {
            let bytes = try await storage.get(key)
            #expect(bytes.count == 64 << 10)
            #expect(Set(bytes).count == 1, "one write's bytes, never a mix")
        }
    }

    @Test func writeFailureIsClassifiedAndLeavesNothing() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A file where a directory must go: the write cannot succeed.
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root + "/blocked", contents: Data([1])))
        let storage = LocalDirectoryStorage(root: root)
        await #expect(throws: (any Error).self) {
            try await storage.put(try StorageKey("blocked/x.png"), bytes: [1], contentType: "image/png")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["blocked"])
    }
}
