import PNG
import Testing

@Suite("Row-by-row decoding")
struct RowReaderTests {
    @Test("rows equal the whole-image decode and the expected RGBA8", arguments: Fixture.all)
    func rowsMatchWholeDecode(fixture: Fixture) throws {
        let reader = try PNGRowReader(fixture.file)
        #expect(reader.header.width == fixture.width)
        #expect(reader.bytesPerRow == fixture.width * 4)
        var rows: [UInt8] = []
        var row: [UInt8] = []
        while try reader.readRow(into: &row) {
            #expect(row.count == reader.bytesPerRow)
            rows += row
        }
        #expect(reader.rowsRead == reader.header.height)
        #expect(try reader.nextRow() == nil)
        #expect(rows == fixture.expectedRGBA)

        let whole = try PNGDecoder.decode(fixture.file, as: .rgba8)
        #expect(whole.pixels == fixture.expectedRGBA)
    }

    @Test("the header reports the stored colour type, depth and interlacing")
    func header() throws {
        let cases: [(Fixture, ImageHeader.ColorType, Int, Bool, Bool)] = [
            (Fixture.rgb8, .rgb, 8, false, false), (Fixture.rgba8, .rgba, 8, false, true),
            (Fixture.palette8WithTRNS, .palette, 8, false, true), (Fixture.palette4, .palette, 4, false, false),
            (Fixture.gray1, .gray, 1, false, false), (Fixture.grayAlpha8, .grayAlpha, 8, false, true),
            (Fixture.rgb16, .rgb, 16, false, false), (Fixture.rgbInterlaced, .rgb, 8, true, false),
            (Fixture.rgbWithTRNS, .rgb, 8, false, true),
        ]
        for (fixture, colorType, bitDepth, interlaced, transparency) in cases {
            let header = try PNGDecoder.header(of: fixture.file)
            #expect(header.colorType == colorType, "\(fixture.name)")
            #expect(header.bitDepth == bitDepth, "\(fixture.name)")
            #expect(header.isInterlaced == interlaced, "\(fixture.name)")
            #expect(header.hasTransparency == transparency, "\(fixture.name)")
            #expect(header.width * header.height * 4 == fixture.expectedRGBA.count, "\(fixture.name)")
        }
    }

    @Test("whole decode picks RGB8 for opaque files and RGBA8 for transparent ones")
    func defaultFormat() throws {
        #expect(try PNGDecoder.decode(Fixture.gray8.file).format == .rgb8)
        #expect(try PNGDecoder.decode(Fixture.palette8WithTRNS.file).format == .rgba8)
        #expect(try PNGDecoder.decode(Fixture.grayAlpha8.file).format == .rgba8)
    }

    @Test("a gAMA chunk is honoured identically by both decoders")
    func gammaMatchesWholeDecode() throws {
        let image = Samples.image(width: 16, height: 4, format: .rgba8)
        let encoded = try PNGEncoder.encode(image)
        let ihdrEnd = PNGFile.signature.count + 25
        // gAMA 1.0: linear samples, which both decoders convert to sRGB.
        let file = Array(encoded[..<ihdrEnd]) + PNGFile.chunk("gAMA", PNGFile.bytes(100_000)) + Array(encoded[ihdrEnd...])
        let reader = try PNGRowReader(file)
        var rows: [UInt8] = []
        while let row = try reader.nextRow() { rows += row }
        let whole = try PNGDecoder.decode(file, as: .rgba8).pixels
        #expect(rows == whole)
        #expect(whole != image.pixels)
    }

    @Test("a truncated file yields the rows it holds, then a truncated error")
    func truncatedMidway() throws {
        // Stored (level 0) data spans two IDAT chunks; the cut falls in the second, so
        // every row of the first chunk is still readable (libpng reads IDAT 8 KB at a time).
        let image = Samples.image(width: 200, height: 200, format: .rgba8)
        let file = try PNGEncoder.encode(image, options: EncodingOptions(compressionLevel: 0, filters: .none))
        #expect(PNGFile.chunks(in: file).filter { $0.type == "IDAT" }.count == 2)
        let reader = try PNGRowReader(Array(file.prefix(file.count * 9 / 10)))
        var row: [UInt8] = []
        for y in 0..<100 {
            #expect(try reader.readRow(into: &row))
            #expect(row[...] == image.pixels[(y * 800)..<(y * 800 + 800)])
        }
        let error = #expect(throws: PNGError.self) { while try reader.readRow(into: &row) {} }
        #expect(error?.code == .truncated)
        #expect(reader.rowsRead > 100 && reader.rowsRead < 200)
        // A failed reader stays failed.
        #expect(throws: PNGError.self) { try reader.nextRow() }
    }
}
