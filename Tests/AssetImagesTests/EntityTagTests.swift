import AssetImages
import Testing

@Suite("EntityTag and StoredImage tags")
struct EntityTagTests {
    let image = StoredImage(storageKey: "a/b.png", contentType: "image/png", sha256: Array(0..<32), width: 800)

    @Test("the tag is the SHA-256 in hex; a thumbnail's names its width; a width not smaller serves the original's")
    func tags() {
        let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        #expect(image.entityTag(nil).description == "\"\(hex)\"")
        #expect(image.entityTag(.w256).description == "\"\(hex)-w256-r\(ThumbnailKey.rendererVersion)\"")
        #expect(image.entityTag(.w1024) == image.entityTag(nil))
    }

    @Test("If-None-Match: exact, in a list, weak, star; anything else does not match")
    func matching() {
        let tag = EntityTag(opaque: "abc")
        #expect(tag.matches(ifNoneMatch: "\"abc\""))
        #expect(tag.matches(ifNoneMatch: "\"x\", \"abc\""))
        #expect(tag.matches(ifNoneMatch: "W/\"abc\""))
        #expect(tag.matches(ifNoneMatch: " * "))
        #expect(!tag.matches(ifNoneMatch: "abc"))
        #expect(!tag.matches(ifNoneMatch: "\"abcd\""))
        #expect(!tag.matches(ifNoneMatch: ""))
    }
}
