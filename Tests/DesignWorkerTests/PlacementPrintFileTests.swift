import DesignWorker
import Imaging
import PNG
import ProductFlow
import Testing

/// The print file is the placement: fitted to the placement's box at 300 DPI (pHYs says
/// so), and every variant records the candidate's effective DPI there.
@Suite struct PlacementPrintFileTests {
    /// A 400×200 red block on a flat white background: background removal and trimming
    /// leave exactly the block, so the fitted size is known.
    private func block(scale: Int = 1) throws -> [UInt8] {
        var image = RGBAImage(width: 600 * scale, height: 400 * scale, fill: RGBA(255, 255, 255))
        for y in (100 * scale)..<(300 * scale) {
            for x in (100 * scale)..<(500 * scale) {
                image[x, y] = RGBA(200, 20, 30)
            }
        }
        return try PNGEncoder.encode(Image(width: image.width, height: image.height, format: .rgba8, pixels: image.pixels))
    }

    private func placement(_ width: Double, _ height: Double) -> PrintPlacement {
        PrintPlacement(preset: nil, side: "front", xMM: 0, yMM: 0, widthMM: width, heightMM: height)
    }

    @Test func aLeftChestPrintIsNinetyMillimetresAtThreeHundredDPI() throws {
        let variants = try DesignRenderer.render(try block(scale: 4), configuration: DesignWorkerConfiguration(),
                                                 placement: placement(90, 90))
        let dtf = try #require(variants.first { $0.variant == .dtf })
        // 90 mm = 3.543 in → 1063 px across; the 2:1 block is half as high.
        #expect(dtf.width == 1063)
        #expect(abs(dtf.height - 532) <= 1)
        #expect(try PNGDecoder.header(of: dtf.png).dpi == 300)
        // 1600 source pixels over 3.543 printed inches.
        let dpi = try #require(dtf.effectiveDPI)
        #expect(abs(dpi - 452) <= 1)
        #expect(variants.allSatisfy { $0.effectiveDPI == dpi })
    }

    @Test func aFullFrontPrintOfASmallDesignIsUpscaledAndMeasuredBelowOneFifty() throws {
        let variants = try DesignRenderer.render(try block(), configuration: DesignWorkerConfiguration(),
                                                 placement: placement(300, 360))
        let dtf = try #require(variants.first { $0.variant == .dtf })
        // 300 mm = 3543 px; 400 source pixels over 11.8 inches ≈ 34 DPI.
        #expect(dtf.width == 3543)
        let dpi = try #require(dtf.effectiveDPI)
        #expect(dpi < DesignRenderer.minimumEffectiveDPI)
        #expect(abs(dpi - 34) <= 1)
    }

    @Test func withoutAPlacementTheFixedTwelveBySixteenInchFileRemains() throws {
        let variants = try DesignRenderer.render(try block(), configuration: DesignWorkerConfiguration())
        let dtf = try #require(variants.first { $0.variant == .dtf })
        #expect(dtf.width == 3600)
    }
}
