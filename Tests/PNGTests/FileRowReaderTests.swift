import Foundation
import PNG
import Testing

@Suite("Row-by-row decoding from a file")
struct FileRowReaderTests {
    @Test("a file gives the same rows as its bytes in memory", arguments: Fixture.all)
    func matchesMemory(fixture: Fixture) throws {
        try withFile(fixture.file) { path in
            let reader = try PNGRowReader(contentsOfFile: path)
            #expect(reader.header == (try PNGDecoder.header(of: fixture.file)))
            var rows: [UInt8] = []
            while let row = try reader.nextRow() { rows += row }
            #expect(rows == fixture.expectedRGBA)
        }
    }

    @Test("RGB8 rows equal the whole decoder's RGB8: exactly when opaque, within a few levels where transparent",
          arguments: Fixture.all)
    func rgbRowsMatchWholeDecode(fixture: Fixture) throws {
        let reader = try PNGRowReader(fixture.file, as: .rgb8)
        #expect(reader.bytesPerRow == fixture.width * 3)
        var rows: [UInt8] = []
        while let row = try reader.nextRow() { rows += row }
        let whole = try PNGDecoder.decode(fixture.file, as: .rgb8).pixels
        #expect(rows.count == whole.count)
        let header = try PNGDecoder.header(of: fixture.file)
        if header.hasTransparency {
            // libpng composites with 8-bit gamma tables, we in float: the same blend, rounded
            // differently (4 levels at most on these fixtures).
            let largest = zip(rows, whole).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(largest <= 4, "largest difference \(largest)")
            // Transparency really was flattened: fully transparent pixels are white.
            for (index, alpha) in stride(from: 3, to: fixture.expectedRGBA.count, by: 4).map({ ($0 / 4, fixture.expectedRGBA[$0]) })
            where alpha == 0 {
                #expect(rows[(index * 3)..<(index * 3 + 3)] == [255, 255, 255])
            }
        } else {
            #expect(rows == whole)
        }
    }

    @Test("a missing file is unreadable, a truncated one truncated, another format not a PNG")
    func failures() throws {
        let missing = #expect(throws: PNGError.self) { try PNGRowReader(contentsOfFile: "/nonexistent/template.png") }
        #expect(missing?.code == .unreadable)
        #expect(missing?.isRetriable == false)

        let image = Samples.image(width: 200, height: 200, format: .rgb8)
        let file = try PNGEncoder.encode(image, options: EncodingOptions(compressionLevel: 0, filters: .none))
        try withFile(Array(file.prefix(file.count / 2))) { path in
            let reader = try PNGRowReader(contentsOfFile: path)
            let error = #expect(throws: PNGError.self) { while try reader.nextRow() != nil {} }
            #expect(error?.code == .truncated)
            #expect(reader.rowsRead > 0)
        }
        try withFile(Array("GIF89a, not a png".utf8)) { path in
            let error = #expect(throws: PNGError.self) { try PNGRowReader(contentsOfFile: path) }
            #expect(error?.code == .notPNG)
        }
        try withFile(Array(file.prefix(5))) { path in
            let error = #expect(throws: PNGError.self) { try PNGRowReader(contentsOfFile: path) }
            #expect(error?.code == .truncated)
        }
    }

    @Test("the limits apply before any row is decoded")
    func limits() throws {
        let file = try PNGEncoder.encode(Samples.image(width: 300, height: 20, format: .rgb8))
        try withFile(file) { path in
            let error = #expect(throws: PNGError.self) {
                try PNGRowReader(contentsOfFile: path, limits: DecodingLimits(maxWidth: 299))
            }
            #expect(error?.code == .tooLarge)
            #expect(error?.claimedWidth == 300)
        }
    }

    private func withFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString).png").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }
}
