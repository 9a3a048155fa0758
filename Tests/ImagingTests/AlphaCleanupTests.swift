import Imaging
import Testing

@Suite("Alpha cleanup and trimming")
struct AlphaCleanupTests {
    @Test("faint alpha is cleared, near-opaque hardened, the mid range kept")
    func rule() {
        var image = RGBAImage(width: 5, height: 1)
        let alphas: [UInt8] = [0, 31, 32, 223, 224]
        for (x, a) in alphas.enumerated() { image[x, 0] = RGBA(100, 150, 200, a) }
        let changed = AlphaCleanup(threshold: 32, opaqueAbove: 224).apply(to: &image)
        #expect(changed == 2)
        #expect(image[1, 0] == RGBA(0, 0, 0, 0))
        #expect(image[2, 0].a == 32 && image[3, 0].a == 223 && image[4, 0].a == 255)

        var kept = RGBAImage(width: 1, height: 1, fill: RGBA(1, 2, 3, 240))
        AlphaCleanup(threshold: 32, opaqueAbove: nil).apply(to: &kept)
        #expect(kept[0, 0].a == 240)
    }

    @Test("trim finds the box of visible pixels")
    func trim() {
        var image = RGBAImage(width: 30, height: 20)
        image[4, 7] = RGBA(1, 1, 1, 255)
        image[21, 15] = RGBA(1, 1, 1, 1)
        #expect(Trim.contentBounds(of: image) == PixelRect(x: 4, y: 7, width: 18, height: 9))
        #expect(Trim.contentBounds(of: image, minimumAlpha: 2) == PixelRect(x: 4, y: 7, width: 1, height: 1))
        let trimmed = Trim.trimmed(image)
        #expect(trimmed?.width == 18 && trimmed?.height == 9 && trimmed?[0, 0].a == 255)
        #expect(Trim.trimmed(RGBAImage(width: 3, height: 3)) == nil)
    }
}
