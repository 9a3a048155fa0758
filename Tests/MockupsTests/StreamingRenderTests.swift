import Foundation
import Imaging
import Mockups
import PNG
import Testing

@Suite("Streaming render")
struct StreamingRenderTests {
    /// What rendering was before it streamed: the whole template decoded, composited, encoded.
    static func inMemory(_ design: [UInt8], _ resolved: ResolvedTemplate, renderer: MockupRenderer = MockupRenderer()) throws -> Image {
        var canvas = try renderer.loadTemplate(resolved.imagePath, id: resolved.entry.id)
        let shading = try resolved.shadingPath.map { try renderer.loadTemplate($0, id: resolved.entry.id) }
        try renderer.composite(design: design, onto: &canvas, shading: shading, printArea: resolved.entry.printArea)
        return try PNGDecoder.decode(try renderer.encode(canvas), as: .rgb8)
    }

    @Test("the streamed mockup has exactly the in-memory path's pixels",
          arguments: [("tshirt", "black", MockupKind.flatLay), ("tshirt", "white", .mrImagine), ("hoodie", "black", .flatLay)])
    func matchesInMemory(type: String, color: String, kind: MockupKind) throws {
        let resolved = try Fixtures.shippedCatalog().lookup(productType: type, color: color, kind: kind)
        // Large enough to be shrunk while decoding, with transparency and detail.
        var art = RGBAImage(width: 1500, height: 1300)
        for y in 0..<art.height {
            for x in 0..<art.width where (x / 50 + y / 70) % 4 != 0 {
                art[x, y] = RGBA(UInt8(truncatingIfNeeded: x), UInt8(truncatingIfNeeded: y), 200, (x + y) % 7 == 0 ? 128 : 255)
            }
        }
        let design = try Fixtures.png(art)
        let streamed = try MockupRenderer().render(design: design, template: resolved)
        let decoded = try PNGDecoder.decode(streamed.png, as: .rgb8)
        let expected = try Self.inMemory(design, resolved)
        #expect(decoded.width == expected.width && decoded.height == expected.height)
        #expect(decoded.pixels == expected.pixels)
        let bare = try MockupRenderer().loadTemplate(resolved.imagePath, id: resolved.entry.id)
        #expect(decoded.pixels != bare.pixels, "the design must show")
    }

    @Test("a small design enlarged into the area, and a separate shading image, stream like the in-memory path")
    func separateShadingImage() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let base = CompositeCanvas(width: 120, height: 90, channels: 3,
                                   pixels: (0..<(120 * 90 * 3)).map { UInt8(truncatingIfNeeded: 40 + $0 % 170) })
        let shade = CompositeCanvas(width: 120, height: 90, channels: 3,
                                    pixels: (0..<(120 * 90 * 3)).map { UInt8(truncatingIfNeeded: ($0 / 360) * 2 + ($0 % 11) * 9) })
        for (canvas, name) in [(base, "base.png"), (shade, "shade.png")] {
            let png = try PNGEncoder.encode(Image(width: 120, height: 90, format: .rgb8, pixels: canvas.pixels))
            try Data(png).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let entry = TemplateEntry(id: "test", version: 1, image: "base.png", shading: .image("shade.png"),
                                  printArea: .rectangle(PixelRect(x: 20, y: 15, width: 70, height: 60)))
        let resolved = ResolvedTemplate(requestedProductType: "t", requestedColor: "c", productType: "t", color: "c",
                                        kind: .flatLay, entry: entry, imagePath: directory + "/base.png",
                                        shadingPath: directory + "/shade.png", fallbackReason: nil)
        let design = try Fixtures.solid(10, 12, RGBA(250, 250, 250))
        let streamed = try PNGDecoder.decode(try MockupRenderer().render(design: design, template: resolved).png, as: .rgb8)
        #expect(streamed.pixels == (try Self.inMemory(design, resolved).pixels))
        // The shading image, not the base, shades the print: white ink follows its stripes.
        let withBaseShading = try PNGDecoder.decode(try MockupRenderer().render(
            design: design, template: ResolvedTemplate(
                requestedProductType: "t", requestedColor: "c", productType: "t", color: "c", kind: .flatLay,
                entry: entry, imagePath: directory + "/base.png", shadingPath: nil, fallbackReason: nil)).png, as: .rgb8)
        #expect(withBaseShading.pixels != streamed.pixels)
    }

    @Test("a missing template is unavailable, a corrupt or mismatched one rejected")
    func templateFailures() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let image = Image(width: 100, height: 80, format: .rgb8, pixels: [UInt8](repeating: 90, count: 100 * 80 * 3))
        let png = try PNGEncoder.encode(image, options: EncodingOptions(compressionLevel: 0, filters: .none))
        try Data(png).write(to: URL(fileURLWithPath: directory + "/good.png"))
        try Data(png.prefix(png.count * 2 / 3)).write(to: URL(fileURLWithPath: directory + "/cut.png"))
        let small = try PNGEncoder.encode(Image(width: 50, height: 80, format: .rgb8, pixels: [UInt8](repeating: 1, count: 50 * 80 * 3)))
        try Data(small).write(to: URL(fileURLWithPath: directory + "/small.png"))
        let design = try Fixtures.solid(40, 40, RGBA(10, 200, 10))
        func render(_ image: String, shading: String? = nil) -> MockupError? {
            let entry = TemplateEntry(id: "t1", version: 1, image: image, shading: .base,
                                      printArea: .rectangle(PixelRect(x: 10, y: 10, width: 60, height: 50)))
            let resolved = ResolvedTemplate(requestedProductType: "t", requestedColor: "c", productType: "t", color: "c",
                                            kind: .flatLay, entry: entry, imagePath: directory + "/" + image,
                                            shadingPath: shading.map { directory + "/" + $0 }, fallbackReason: nil)
            return #expect(throws: MockupError.self) { try MockupRenderer().render(design: design, template: resolved) }
        }
        #expect(render("missing.png")?.code == .templateUnavailable)
        let cut = render("cut.png")
        #expect(cut?.code == .templateRejected)
        #expect(cut?.description.contains("t1") == true && cut?.description.contains("truncated") == true, "\(String(describing: cut))")
        #expect(render("good.png", shading: "small.png")?.code == .templateRejected)
        #expect(render("good.png", shading: "missing.png")?.code == .templateUnavailable)
    }
}
