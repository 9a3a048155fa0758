import PNG
import Testing

@Suite("Lossless round trip")
struct RoundTripTests {
    static let optionSets: [EncodingOptions] = [
        EncodingOptions(),
        EncodingOptions(compressionLevel: 0, filters: .none, strategy: .default),
        EncodingOptions(compressionLevel: 1, filters: .sub, strategy: .rle),
        EncodingOptions(compressionLevel: 3, filters: .up, strategy: .huffmanOnly),
        EncodingOptions(compressionLevel: 6, filters: .average, strategy: .fixed),
        EncodingOptions(compressionLevel: 9, filters: .paeth, strategy: .filtered),
        EncodingOptions(compressionLevel: 9, filters: [.sub, .up, .paeth], strategy: .default),
    ]

    @Test("RGBA8 and RGB8 decode to exactly the encoded pixels", arguments: [PixelFormat.rgba8, .rgb8], optionSets)
    func roundTrip(format: PixelFormat, options: EncodingOptions) throws {
        let image = Samples.image(width: 67, height: 41, format: format)
        let encoded = try PNGEncoder.encode(image, options: options)
        let decoded = try PNGDecoder.decode(encoded)
        #expect(decoded == image)
        #expect(Array(encoded.prefix(8)) == PNGFile.signature)
    }

    @Test("an RGBA8 image whose alpha is all opaque still decodes as RGBA8")
    func opaqueRGBAKeepsItsFormat() throws {
        var image = Samples.image(width: 5, height: 3, format: .rgba8)
        for index in stride(from: 3, to: image.pixels.count, by: 4) { image.pixels[index] = 255 }
        #expect(try PNGDecoder.decode(PNGEncoder.encode(image)) == image)
    }

    @Test("a 1×1 image round-trips")
    func singlePixel() throws {
        let image = Image(width: 1, height: 1, format: .rgba8, pixels: [1, 2, 3, 4])
        #expect(try PNGDecoder.decode(PNGEncoder.encode(image)) == image)
    }

    @Test("rows given with a larger stride encode like the packed image")
    func stridedRows() throws {
        let image = Samples.image(width: 10, height: 7, format: .rgb8)
        let padded = (0..<image.height).flatMap { y in
            image.pixels[(y * 30)..<(y * 30 + 30)] + [UInt8](repeating: 0xEE, count: 6)
        }
        let encoded = try padded.withUnsafeBytes { bytes in
            try PNGEncoder.encode(pixels: bytes, width: 10, height: 7, bytesPerRow: 36, format: .rgb8)
        }
        #expect(try PNGDecoder.decode(encoded) == image)
        #expect(encoded == (try PNGEncoder.encode(image)))
    }

    @Test("RGBA decoded as RGB8 is composited onto white; RGB decoded as RGBA8 is opaque")
    func formatConversion() throws {
        let transparent = Image(width: 2, height: 1, format: .rgba8, pixels: [10, 20, 30, 0, 10, 20, 30, 255])
        let flattened = try PNGDecoder.decode(PNGEncoder.encode(transparent), as: .rgb8)
        #expect(flattened.pixels == [255, 255, 255, 10, 20, 30])

        let opaque = Image(width: 2, height: 1, format: .rgb8, pixels: [1, 2, 3, 4, 5, 6])
        let expanded = try PNGDecoder.decode(PNGEncoder.encode(opaque), as: .rgba8)
        #expect(expanded.pixels == [1, 2, 3, 255, 4, 5, 6, 255])
    }
}
