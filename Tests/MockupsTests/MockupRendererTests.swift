import Foundation
import Imaging
import Mockups
import PNG
import Testing

@Suite("Mockup rendering")
struct MockupRendererTests {
    @Test("renders a shipped template to a PNG of the template's size with template_info")
    func rendersPNG() throws {
        let resolved = try Fixtures.shippedCatalog().lookup(productType: "tshirt", color: "navy", kind: .mrImagine)
        let design = try Fixtures.solid(1500, 1800, RGBA(250, 200, 30, 255))
        let mockup = try MockupRenderer().render(design: design, template: resolved)
        let decoded = try PNGDecoder.decode(mockup.png)
        let template = try PNGDecoder.header(of: [UInt8](try #require(FileManager.default.contents(atPath: resolved.imagePath))))
        #expect(decoded.width == template.width && decoded.height == template.height)
        #expect(mockup.info.templateID == "tshirt-navy-mr-imagine")
        #expect(mockup.info.fallback == false)
    }

    @Test("a corrupt design is rejected with an error that says why")
    func corruptDesign() throws {
        let resolved = try Fixtures.shippedCatalog().lookup(productType: "tshirt", color: "white", kind: .flatLay)
        let good = try Fixtures.solid(300, 300, RGBA(1, 2, 3))
        for (bytes, phrase) in [(Array(good.prefix(good.count / 2)), "truncated"), (Array("not a png".utf8), "not a PNG")] {
            let error = #expect(throws: MockupError.self) { try MockupRenderer().render(design: bytes, template: resolved) }
            #expect(error?.code == .designRejected)
            #expect(error?.isRetriable == false)
            #expect(error?.description.contains(phrase) == true, "\(String(describing: error))")
        }
    }

    @Test("a design over the pixel limit is rejected before decoding, naming its size and the limit")
    func oversizedDesign() throws {
        let resolved = try Fixtures.shippedCatalog().lookup(productType: "tshirt", color: "white", kind: .flatLay)
        let design = try Fixtures.solid(2000, 1500, RGBA(0, 0, 0, 0))
        let renderer = MockupRenderer(designLimits: DecodingLimits(maxWidth: 10_000, maxHeight: 10_000, maxPixels: 1_000_000))
        let error = #expect(throws: MockupError.self) { try renderer.render(design: design, template: resolved) }
        #expect(error?.code == .designTooLarge)
        #expect(error?.description.contains("2000×1500") == true, "\(String(describing: error))")
        #expect(error?.description.contains("1000000") == true, "\(String(describing: error))")
    }

    @Test("area downscaling averages premultiplied colour")
    func downscalerAverages() {
        var image = RGBAImage(width: 4, height: 2)
        for x in 0..<2 {
            for y in 0..<2 { image[x, y] = RGBA(200, 100, 0, 255) }
        }
        // The right half: transparent black next to opaque white, averaged to half-alpha white.
        image[2, 0] = RGBA(255, 255, 255, 255)
        image[3, 1] = RGBA(255, 255, 255, 255)
        let small = CompositeDownscaler.downscale(image, width: 2, height: 1)
        #expect(small[0, 0] == RGBA(200, 100, 0, 255))
        #expect(small[1, 0] == RGBA(255, 255, 255, 128))
        // A non-integer ratio keeps the total coverage.
        let odd = CompositeDownscaler.downscale(RGBAImage(width: 7, height: 5, fill: RGBA(10, 20, 30, 255)), width: 3, height: 2)
        #expect(odd.pixels == RGBAImage(width: 3, height: 2, fill: RGBA(10, 20, 30, 255)).pixels)
    }
}
