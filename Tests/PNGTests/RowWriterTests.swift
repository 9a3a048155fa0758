import PNG
import Testing

@Suite("Row-by-row encoding")
struct RowWriterTests {
    @Test("rows written one at a time give the whole-image encoder's bytes and decode to the pixels",
          arguments: [PixelFormat.rgb8, .rgba8])
    func matchesWholeEncode(format: PixelFormat) throws {
        let image = Samples.image(width: 57, height: 31, format: format, dpi: 300)
        let options = EncodingOptions(compressionLevel: 2, filters: .up, strategy: .filtered)
        let writer = try PNGRowWriter(width: image.width, height: image.height, format: format, dpi: 300, options: options)
        #expect(writer.bytesPerRow == image.bytesPerRow)
        try image.pixels.withUnsafeBytes { pixels in
            for y in 0..<image.height {
                try writer.write(row: UnsafeRawBufferPointer(rebasing: pixels[(y * image.bytesPerRow)..<((y + 1) * image.bytesPerRow)]))
            }
        }
        #expect(writer.rowsWritten == image.height)
        let streamed = try writer.finish()
        #expect(streamed == (try PNGEncoder.encode(image, options: options)))
        let decoded = try PNGDecoder.decode(streamed, as: format)
        #expect(decoded.pixels == image.pixels)
        #expect(decoded.dpi == 300)
    }

    @Test("output larger than one IDAT chunk arrives whole")
    func manyChunks() throws {
        // Stored (level 0) noise: about 1 MB, several 128 KB IDAT chunks.
        let image = Samples.image(width: 600, height: 400, format: .rgba8)
        let encoded = try PNGEncoder.encode(image, options: EncodingOptions(compressionLevel: 0, filters: .none))
        #expect(PNGFile.chunks(in: encoded).filter { $0.type == "IDAT" }.count > 4)
        #expect(try PNGDecoder.decode(encoded, as: .rgba8).pixels == image.pixels)
    }

    @Test("a row of the wrong size, a row too many and finishing early are invalid arguments")
    func misuse() throws {
        let writer = try PNGRowWriter(width: 4, height: 2, format: .rgb8)
        let row = [UInt8](repeating: 9, count: 12)
        let short = #expect(throws: PNGError.self) {
            try row.withUnsafeBytes { try writer.write(row: UnsafeRawBufferPointer(rebasing: $0[..<11])) }
        }
        #expect(short?.code == .invalidArgument)
        try row.withUnsafeBytes { try writer.write(row: $0) }
        let early = #expect(throws: PNGError.self) { try writer.finish() }
        #expect(early?.code == .invalidArgument)
        try row.withUnsafeBytes { try writer.write(row: $0) }
        let extra = #expect(throws: PNGError.self) { try row.withUnsafeBytes { try writer.write(row: $0) } }
        #expect(extra?.code == .invalidArgument)
        let decoded = try PNGDecoder.decode(try writer.finish(), as: .rgb8)
        #expect(decoded.pixels == [UInt8](repeating: 9, count: 24))
    }

    @Test("bad sizes and options are rejected before anything is written")
    func invalidSettings() {
        for (width, height, options) in [(0, 4, EncodingOptions()), (4, -1, EncodingOptions()),
                                         (4, 4, EncodingOptions(compressionLevel: 11)), (4, 4, EncodingOptions(filters: []))] {
            let error = #expect(throws: PNGError.self) {
                try PNGRowWriter(width: width, height: height, format: .rgba8, options: options)
            }
            #expect(error?.code == .invalidArgument)
        }
    }
}
