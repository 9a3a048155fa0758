import Storage
import Testing

/// A key can never escape the storage root (DESIGN.md §6: blobs live under one root).
@Suite struct StorageKeyTests {
    @Test(arguments: [
        "../etc/passwd", "products/../../x", "a/./b", "/abs/path.png", "/", "a//b", "trailing/", "",
        "nul\u{0}byte.png", "line\nbreak", "del\u{7F}.png",
    ])
    func rejectsKeysThatCouldEscapeOrConfuse(_ raw: String) {
        #expect(throws: StorageError.self) { try StorageKey(raw) }
        do {
            _ = try StorageKey(raw)
        } catch {
            #expect(error.code == .invalidKey)
            #expect(!error.isRetriable)
        }
    }

    @Test func rejectsOverlongKeys() {
        #expect(throws: StorageError.self) { try StorageKey(String(repeating: "a", count: 1025)) }
        #expect((try? StorageKey(String(repeating: "a", count: 1024))) != nil)
    }

    @Test func acceptsDesignKeys() throws {
        let key = try StorageKey("products/5b1c/designs/1/9f0e/0-background_removed.png")
        #expect(key.rawValue == "products/5b1c/designs/1/9f0e/0-background_removed.png")
        #expect(try StorageKey("a..b/c.d..png").rawValue == "a..b/c.d..png")
    }
}
