import Imaging
import Testing

@Suite("Background removal")
struct BackgroundRemoverTests {
    static let grey = RGBA(200, 200, 200)

    /// Light-grey background; a dark ring whose inside is the *same* grey; a red blob.
    static func ringAndBlob() -> RGBAImage {
        var image = RGBAImage(width: 120, height: 100, fill: grey)
        for y in 0..<100 {
            for x in 0..<120 {
                let dx = Double(x) - 40, dy = Double(y) - 50
                let r = (dx * dx + dy * dy).squareRoot()
                if r >= 20 && r <= 26 { image[x, y] = RGBA(30, 30, 40) }
                let bx = Double(x) - 92, by = Double(y) - 50
                if (bx * bx + by * by).squareRoot() <= 12 { image[x, y] = RGBA(220, 20, 30) }
            }
        }
        return image
    }

    @Test("only the border-connected background is removed; the ring's grey inside stays")
    func ringInteriorStays() {
        let result = BackgroundRemover.remove(Self.ringAndBlob())
        guard case .removed(let background, let cleared) = result.outcome else {
            Issue.record("expected removal, got \(result.outcome)")
            return
        }
        #expect(background == Self.grey)
        #expect(cleared > 5000)
        let image = result.image
        for (x, y) in [(0, 0), (119, 0), (0, 99), (119, 99), (70, 10), (110, 90)] {
            #expect(image[x, y].a == 0, "background at (\(x), \(y))")
        }
        #expect(image[40, 50] == Self.grey, "the ring's interior is not connected to the border")
        #expect(image[40, 40].a == 255)
        #expect(image[40 + 23, 50] == RGBA(30, 30, 40), "ring body")
        #expect(image[92, 50] == RGBA(220, 20, 30), "red blob")
    }

    @Test("a noisy background within tolerance is removed too")
    func noisyBackground() {
        var image = Self.ringAndBlob()
        let noise = TestImages.noise(width: 120, height: 100, seed: 3)
        for y in 0..<100 { for x in 0..<120 where image[x, y] == Self.grey {
            let n = Int(noise[x, y].r % 17) - 8
            let v = UInt8(200 + n)
            image[x, y] = RGBA(v, v, v)
        } }
        let result = BackgroundRemover.remove(image)
        #expect(result.removedBackground)
        #expect(result.image[0, 0].a == 0 && result.image[70, 10].a == 0)
        #expect(result.image[40, 50].a == 255)
    }

    @Test("edge pixels that blend into the background get a partial alpha")
    func softEdge() {
        var image = RGBAImage(width: 40, height: 40, fill: Self.grey)
        for y in 10..<30 { for x in 10..<30 { image[x, y] = RGBA(0, 0, 0) } }
        for y in 10..<30 { image[9, y] = RGBA(120, 120, 120) } // a 40% blend
        let result = BackgroundRemover.remove(image)
        let edge = result.image[9, 20]
        #expect(edge.a > 0 && edge.a < 255)
        #expect(edge.r < 60, "the background's share is removed from the edge colour: \(edge)")
    }

    @Test("no dominant border colour: unchanged, flagged")
    func noUniformBackground() {
        let image = TestImages.noise(width: 64, height: 48)
        let opaque = RGBAImage(width: 64, height: 48, pixels: image.pixels.enumerated().map { $0.offset % 4 == 3 ? 255 : $0.element })
        let result = BackgroundRemover.remove(opaque)
        #expect(result.outcome == .noUniformBackground)
        #expect(result.image == opaque)
    }

    @Test("an already transparent border: unchanged, flagged")
    func alreadyTransparent() {
        let art = ArtGenerator.generate(prompt: "owl", seed: 1, candidate: 0, size: 64)
        let result = BackgroundRemover.remove(art)
        #expect(result.outcome == .alreadyTransparent)
        #expect(result.image == art)
    }

    @Test("the generator's flat background is removed, the subject kept")
    func generatedFlatBackground() {
        let art = ArtGenerator.generate(prompt: "forest", seed: 1, candidate: 0, size: 256, background: .flat)
        let result = BackgroundRemover.remove(art)
        #expect(result.removedBackground)
        #expect(result.image[0, 0].a == 0 && result.image[255, 0].a == 0)
        #expect(result.image[128, 128].a == 255)
    }
}
