import AssetImages
import PNG
import Testing

@Suite("ThumbnailRenderer")
struct ThumbnailRendererTests {
    @Test("a wide image becomes exactly the asked width, aspect kept, transparency kept")
    func wide() throws {
        let thumbnail = try #require(try ThumbnailRenderer.render(try SamplePNG.make(width: 1600, height: 900), width: .w256))
        let image = try PNGDecoder.decode(thumbnail, as: .rgba8)
        #expect(image.width == 256 && image.height == 144)
        // Left edge opaque and dark red, right edge (the transparent eighth) transparent.
        let left = Array(image.pixels[(72 * 256) * 4..<(72 * 256) * 4 + 4])
        let right = Array(image.pixels[(72 * 256 + 255) * 4..<(72 * 256 + 255) * 4 + 4])
        #expect(left[3] == 255 && left[0] < 16)
        #expect(right[3] == 0)
    }

    @Test("a tall image keeps its aspect ratio")
    func tall() throws {
        let thumbnail = try #require(try ThumbnailRenderer.render(try SamplePNG.make(width: 600, height: 1000), width: .w512))
        let header = try PNGDecoder.header(of: thumbnail)
        #expect(header.width == 512 && header.height == 853)
    }

    @Test("an image not wider than the width is never upscaled")
    func noUpscale() throws {
        #expect(try ThumbnailRenderer.render(try SamplePNG.make(width: 256, height: 300), width: .w256) == nil)
        #expect(try ThumbnailRenderer.render(try SamplePNG.make(width: 100, height: 100), width: .w1024) == nil)
    }

    @Test("a corrupt source is an error, not a crash")
    func corrupt() throws {
        var bytes = try SamplePNG.make(width: 400, height: 300)
        bytes.replaceSubrange(60..<bytes.count, with: [UInt8](repeating: 7, count: bytes.count - 60))
        #expect(throws: (any Error).self) { _ = try ThumbnailRenderer.render(bytes, width: .w256) }
    }

    @Test("widths are a closed set")
    func widths() {
        #expect(ThumbnailWidth(parameter: "512") == .w512)
        for text in ["300", "0", "-256", "256.0", "", "1024 ", "2048"] {
            #expect(ThumbnailWidth(parameter: text) == nil, "\(text)")
        }
    }
}
