@testable import Imaging
import Testing

/// The streamed print file must be the whole-image one, pixel for pixel: the fleet's
/// files do not change with the memory they are made in.
@Suite("DTF print file made from rows")
struct StreamingDTFPrinterTests {
    /// The streamed file collected into an image (the last writer's rows, as the caller keeps).
    static func streamed(_ design: RGBAImage, options: DTFOptions) throws -> (image: RGBAImage, file: StreamedPrintFile) {
        let printer = try StreamingDTFPrinter(source: design, options: options)
        var pixels: [UInt8] = []
        var size = (width: 0, height: 0)
        let file = try printer.render { width, height in
            pixels = []
            pixels.reserveCapacity(width * height * 4)
            size = (width, height)
            return { row in pixels.append(contentsOf: row) }
        }
        #expect(size == (file.width, file.height))
        return (RGBAImage(width: file.width, height: file.height, pixels: pixels), file)
    }

    static func expectSame(_ design: RGBAImage, options: DTFOptions) throws -> StreamedPrintFile {
        let whole = try DTFPrinter.prepare(design, options: options)
        let (image, file) = try streamed(design, options: options)
        #expect(image.width == whole.image.width && image.height == whole.image.height)
        #expect(image == whole.image, "differing pixels: \(image.width == whole.image.width && image.height == whole.image.height ? TestImages.differingFraction(image, whole.image) : 1)")
        #expect(file.dpi == whole.dpi && file.effectiveDPI == whole.effectiveDPI)
        #expect(file.backgroundRemoval == whole.backgroundRemoval)
        return file
    }

    @Test("generated art on a flat background, shrunk and enlarged", arguments: [(0, 2.0, 3.0, 150), (1, 1.0, 1.0, 300), (2, 4.0, 3.0, 300), (3, 0.5, 0.8, 100)])
    func flatArt(candidate: Int, widthInches: Double, heightInches: Double, dpi: Int) throws {
        let art = ArtGenerator.generate(prompt: "neon galaxy cat", seed: 7, candidate: candidate, size: 320, background: .flat)
        let options = DTFOptions(printWidthInches: widthInches, printHeightInches: heightInches, dpi: dpi)
        let file = try Self.expectSame(art, options: options)
        #expect(file.backgroundRemoval.map { if case .removed = $0 { true } else { false } } == true)
    }

    @Test("transparent art and removal switched off")
    func transparentArt() throws {
        let art = ArtGenerator.generate(prompt: "sunset over the ocean", seed: 42, candidate: 0, size: 256)
        _ = try Self.expectSame(art, options: DTFOptions(printWidthInches: 3, printHeightInches: 4, dpi: 200))
        _ = try Self.expectSame(art, options: DTFOptions(printWidthInches: 3, printHeightInches: 4, dpi: 200, removeBackground: false))
    }

    @Test("a design already at the print size is not filtered")
    func sameSize() throws {
        var design = RGBAImage(width: 60, height: 40)
        for y in 5..<35 { for x in 10..<50 { design[x, y] = RGBA(UInt8(x * 4), UInt8(y * 6), 90, UInt8(100 + x)) } }
        let file = try Self.expectSame(design, options: DTFOptions(printWidthInches: 0.4, printHeightInches: 0.3, dpi: 100))
        #expect(file.width == 40 && file.height == 30 && file.renderPasses == 1)
    }

    @Test("faint specks on the outermost lines: edges restored as the whole-image step does, in a second pass")
    func edgesRestored() throws {
        var design = RGBAImage(width: 400, height: 400)
        for y in 150..<350 { for x in 150..<350 { design[x, y] = RGBA(200, 40, 40) } }
        design[250, 20] = RGBA(10, 200, 10, 60)
        design[20, 250] = RGBA(10, 10, 200, 60)
        design[390, 200] = RGBA(10, 10, 200, 40)
        let file = try Self.expectSame(design, options: DTFOptions(printWidthInches: 1, printHeightInches: 1, dpi: 50))
        #expect(file.renderPasses == 2)
    }

    @Test("a design with nothing visible is an error, before and after scaling")
    func nothingVisible() {
        var design = RGBAImage(width: 20, height: 20)
        design[5, 5] = RGBA(0, 0, 0, 10)
        #expect {
            try StreamingDTFPrinter(source: design)
        } throws: { error in
            (error as? ImagingError)?.code == .nothingVisible
        }
    }

    @Test("background removal from rows equals the whole-image removal", arguments: 0..<3)
    func removalFromRows(variant: Int) throws {
        var image = BackgroundRemoverTests.ringAndBlob()
        if variant == 1 {
            let noise = TestImages.noise(width: 120, height: 100, seed: 3)
            for y in 0..<100 { for x in 0..<120 where image[x, y] == BackgroundRemoverTests.grey {
                let v = UInt8(200 + Int(noise[x, y].r % 17) - 8)
                image[x, y] = RGBA(v, v, v)
            } }
        } else if variant == 2 {
            image = ArtGenerator.generate(prompt: "forest", seed: 1, candidate: 0, size: 200, background: .flat)
        }
        let whole = BackgroundRemover().remove(image)
        let mask = try BackgroundMask(image, remover: BackgroundRemover())
        #expect(mask.outcome == whole.outcome)
        var pixels: [UInt8] = []
        try mask.forEachRow(of: image) { _, row in pixels.append(contentsOf: row) }
        #expect(pixels == whole.image.pixels)
    }
}
