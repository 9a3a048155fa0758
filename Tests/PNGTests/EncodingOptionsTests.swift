import PNG
import Testing

@Suite("Encoding options and pHYs")
struct EncodingOptionsTests {
    @Test("levels 0 and 9 decode identically; 0 stores, 9 compresses")
    func levels() throws {
        let image = Samples.image(width: 120, height: 80, format: .rgba8)
        let stored = try PNGEncoder.encode(image, options: EncodingOptions(compressionLevel: 0, filters: .none))
        let smallest = try PNGEncoder.encode(image, options: EncodingOptions(compressionLevel: 9))
        #expect(try PNGDecoder.decode(stored) == PNGDecoder.decode(smallest))
        #expect(try PNGDecoder.decode(stored) == image)
        // Level 0 keeps every byte (plus one filter byte per row).
        #expect(stored.count > image.pixels.count + image.height)
        #expect(smallest.count < stored.count * 3 / 4)
    }

    @Test("filters and strategies change the bytes, not the pixels")
    func optionsAreApplied() throws {
        let image = Samples.image(width: 64, height: 64, format: .rgb8)
        let sub = try PNGEncoder.encode(image, options: EncodingOptions(filters: .sub))
        let paeth = try PNGEncoder.encode(image, options: EncodingOptions(filters: .paeth))
        let huffman = try PNGEncoder.encode(image, options: EncodingOptions(strategy: .huffmanOnly))
        #expect(Set([sub, paeth, huffman]).count == 3)
        for encoded in [sub, paeth, huffman] {
            #expect(try PNGDecoder.decode(encoded) == image)
        }
    }

    @Test("300 DPI is written as pHYs 11811 px/m and read back as 300", arguments: [72, 96, 150, 300, 600, 1200])
    func dpiSurvives(dpi: Int) throws {
        let image = Samples.image(width: 9, height: 4, format: .rgba8, dpi: dpi)
        let encoded = try PNGEncoder.encode(image)
        #expect(try PNGDecoder.header(of: encoded).dpi == dpi)
        #expect(try PNGDecoder.decode(encoded).dpi == dpi)

        let phys = try #require(PNGFile.chunks(in: encoded).first { $0.type == "pHYs" })
        let data = Array(encoded[(phys.offset + 8)..<(phys.offset + 17)])
        let perMeter = PNGFile.bigEndian32(data, at: 0)
        #expect(PNGFile.bigEndian32(data, at: 4) == perMeter)
        #expect(data[8] == 1)  // unit: metre
        if dpi == 300 { #expect(perMeter == 11811) }
    }

    @Test("no dpi means no pHYs chunk")
    func noDPI() throws {
        let encoded = try PNGEncoder.encode(Samples.image(width: 3, height: 3, format: .rgb8))
        #expect(!PNGFile.chunks(in: encoded).contains { $0.type == "pHYs" })
        #expect(try PNGDecoder.decode(encoded).dpi == nil)
    }

    @Test("out-of-range arguments are rejected as invalidArgument")
    func invalidArguments() {
        let image = Samples.image(width: 4, height: 4, format: .rgba8)
        let cases: [(Image, EncodingOptions)] = [
            (image, EncodingOptions(compressionLevel: 10)),
            (image, EncodingOptions(compressionLevel: -1)),
            (image, EncodingOptions(filters: [])),
            (Image(width: 4, height: 4, format: .rgba8, pixels: [0, 0, 0]), EncodingOptions()),
            (Image(width: 0, height: 4, format: .rgba8, pixels: []), EncodingOptions()),
            (Samples.image(width: 4, height: 4, format: .rgba8, dpi: 0), EncodingOptions()),
        ]
        for (image, options) in cases {
            let error = #expect(throws: PNGError.self) { try PNGEncoder.encode(image, options: options) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.isRetriable == false)
        }
    }

    @Test("a buffer shorter than height × stride is rejected")
    func shortBuffer() {
        let pixels = [UInt8](repeating: 0, count: 10 * 3 * 4 - 1)
        let error = #expect(throws: PNGError.self) {
            try pixels.withUnsafeBytes { bytes in
                try PNGEncoder.encode(pixels: bytes, width: 10, height: 4, bytesPerRow: 30, format: .rgb8)
            }
        }
        #expect(error?.code == .invalidArgument)
    }
}
