import Imaging
import Testing

@Suite("DTF print file preparation")
struct DTFPrinterTests {
    /// Checks every promise of a print file: fits with one side at the limit, aspect
    /// kept, no faint pixels, trimmed, transparent background.
    static func checkPrintFile(_ file: PrintFile, source: (width: Int, height: Int)?, options: DTFOptions, transparentBackground: Bool = true) {
        let image = file.image
        let maxW = options.canvasWidth, maxH = options.canvasHeight
        #expect(file.dpi == options.dpi)
        #expect(image.width <= maxW && image.height <= maxH)
        #expect(image.width == maxW || image.height == maxH, "one side equals the limit: \(image.width)×\(image.height)")
        if let source {
            let aspectIn = Double(source.width) / Double(source.height)
            let aspectOut = Double(image.width) / Double(image.height)
            #expect(abs(aspectIn - aspectOut) / aspectIn < 0.01)
        }
        let threshold = options.alphaCleanup.threshold
        #expect(TestImages.alphaFraction(image) { $0 > 0 && $0 < threshold } == 0, "no pixel with 0 < alpha < \(threshold)")
        #expect(Trim.contentBounds(of: image) == PixelRect(x: 0, y: 0, width: image.width, height: image.height), "trimmed")
        if transparentBackground {
            #expect(TestImages.alphaFraction(image) { $0 == 0 } > 0.1, "transparent background")
        }
    }

    @Test("generated art at the default 12×16 in, 300 DPI")
    func defaultPrintSize() throws {
        let art = ArtGenerator.generate(prompt: "sunset over the ocean", seed: 42, candidate: 0)
        let options = DTFOptions()
        #expect(options.canvasWidth == 3600 && options.canvasHeight == 4800)
        let file = try DTFPrinter.prepare(art, options: options)
        let trimmedSource = try #require(Trim.contentBounds(of: AlphaCleanup().applied(to: art)))
        Self.checkPrintFile(file, source: (trimmedSource.width, trimmedSource.height), options: options)
        #expect(file.image.width == 3600, "square-ish art is limited by the 12 in width")
        #expect(file.backgroundRemoval == .alreadyTransparent)
    }

    @Test("several designs at a small print size", arguments: 0..<4)
    func smallPrintSize(candidate: Int) throws {
        let art = ArtGenerator.generate(prompt: "neon galaxy cat", seed: 3, candidate: candidate, size: 384)
        let options = DTFOptions(printWidthInches: 2, printHeightInches: 3, dpi: 150)
        let file = try DTFPrinter.prepare(art, options: options)
        Self.checkPrintFile(file, source: nil, options: options)
    }

    @Test("an opaque flat background is removed before printing")
    func flatBackgroundRemoved() throws {
        let art = ArtGenerator.generate(prompt: "forest", seed: 1, candidate: 0, size: 256, background: .flat)
        let options = DTFOptions(printWidthInches: 3, printHeightInches: 2, dpi: 100)
        let file = try DTFPrinter.prepare(art, options: options)
        Self.checkPrintFile(file, source: nil, options: options)
        #expect(file.backgroundRemoval.map { if case .removed = $0 { true } else { false } } == true)
        #expect(file.image.height == 200, "a round design is limited by the 2 in height")
    }

    @Test("a tall design is limited by the height and keeps its aspect")
    func tallDesign() throws {
        var design = RGBAImage(width: 300, height: 500)
        for y in 50..<450 { for x in 100..<200 { design[x, y] = RGBA(10, 120, 200) } }
        design[150, 20] = RGBA(10, 120, 200, 10) // a faint speck outside the subject
        let options = DTFOptions(printWidthInches: 4, printHeightInches: 4, dpi: 100)
        let file = try DTFPrinter.prepare(design, options: options)
        #expect(file.image.width == 100 && file.image.height == 400, "the speck was cleaned before trimming")
        Self.checkPrintFile(file, source: (100, 400), options: options, transparentBackground: false)
    }

    @Test("a design with nothing visible is an error")
    func nothingVisible() {
        var design = RGBAImage(width: 20, height: 20)
        design[5, 5] = RGBA(0, 0, 0, 10)
        #expect {
            try DTFPrinter.prepare(design)
        } throws: { error in
            (error as? ImagingError)?.code == .nothingVisible
        }
    }
}
