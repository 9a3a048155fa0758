import PNG
import Testing

/// A hand-built file and the RGBA8 pixels any correct decoder must produce from it.
struct Fixture: CustomTestStringConvertible, Sendable {
    var name: String
    var file: [UInt8]
    var width: Int
    var expectedRGBA: [UInt8]
    var testDescription: String { name }

    static let all: [Fixture] = [
        rgb8, rgba8, palette8WithTRNS, palette4, gray8, gray1, grayAlpha8, rgb16, rgbWithTRNS, rgbInterlaced,
    ]

    /// Encoded by our own encoder.
    static let rgb8 = encoded("RGB8", Samples.image(width: 33, height: 17, format: .rgb8))
    static let rgba8 = encoded("RGBA8", Samples.image(width: 33, height: 17, format: .rgba8))

    static func encoded(_ name: String, _ image: Image) -> Fixture {
        let file = try! PNGEncoder.encode(image)
        return Fixture(name: name, file: file, width: image.width, expectedRGBA: rgba(image))
    }

    static func rgba(_ image: Image) -> [UInt8] {
        guard image.format == .rgb8 else { return image.pixels }
        var out: [UInt8] = []
        for start in stride(from: 0, to: image.pixels.count, by: 3) {
            out += image.pixels[start..<(start + 3)]
            out.append(255)
        }
        return out
    }

    static let palette: [[UInt8]] = (0..<16).map { (i: Int) -> [UInt8] in
        [UInt8(i * 16), UInt8(255 - i * 16), UInt8(i * 5)]
    }

    static let palette8WithTRNS: Fixture = {
        var indices: [[UInt8]] = []
        for y in 0..<5 { indices.append((0..<7).map { (x: Int) -> UInt8 in UInt8((x + y * 3) % 16) }) }
        let alphas: [UInt8] = (0..<16).map { (i: Int) -> UInt8 in UInt8(i * 17) }
        let file = PNGFile.make(
            width: 7, height: 5, bitDepth: 8, colorType: 3, scanlines: PNGFile.scanlines(indices),
            extraChunks: [PNGFile.chunk("PLTE", palette.flatMap { $0 }), PNGFile.chunk("tRNS", alphas)])
        var rgba: [UInt8] = []
        for index in indices.joined() { rgba += palette[Int(index)] + [alphas[Int(index)]] }
        return Fixture(name: "palette 8-bit with tRNS", file: file, width: 7, expectedRGBA: rgba)
    }()

    static let palette4: Fixture = {
        var indices: [[UInt8]] = []
        for y in 0..<4 { indices.append((0..<6).map { (x: Int) -> UInt8 in UInt8((x * 5 + y) % 16) }) }
        let packed: [[UInt8]] = indices.map { (row: [UInt8]) -> [UInt8] in
            stride(from: 0, to: row.count, by: 2).map { (i: Int) -> UInt8 in row[i] << 4 | row[i + 1] }
        }
        let file = PNGFile.make(
            width: 6, height: 4, bitDepth: 4, colorType: 3, scanlines: PNGFile.scanlines(packed),
            extraChunks: [PNGFile.chunk("PLTE", palette.flatMap { $0 })])
        var rgba: [UInt8] = []
        for index in indices.joined() { rgba += palette[Int(index)] + [255] }
        return Fixture(name: "palette 4-bit", file: file, width: 6, expectedRGBA: rgba)
    }()

    static let gray8: Fixture = {
        var rows: [[UInt8]] = []
        for y in 0..<6 { rows.append((0..<9).map { (x: Int) -> UInt8 in UInt8((x * 29 + y * 7) % 256) }) }
        let file = PNGFile.make(width: 9, height: 6, bitDepth: 8, colorType: 0, scanlines: PNGFile.scanlines(rows))
        var rgba: [UInt8] = []
        for gray in rows.joined() { rgba += [gray, gray, gray, 255] }
        return Fixture(name: "gray 8-bit", file: file, width: 9, expectedRGBA: rgba)
    }()

    static let gray1: Fixture = {
        // 10 pixels per row: two bytes, the last 6 bits padding.
        var packed: [[UInt8]] = []
        var rgba: [UInt8] = []
        for y in 0..<3 {
            var bytes: [UInt8] = [0, 0]
            for x in 0..<10 where (x + y) % 3 == 0 { bytes[x / 8] |= 0x80 >> UInt8(x % 8) }
            for x in 0..<10 { rgba += (x + y) % 3 == 0 ? [255, 255, 255, 255] : [0, 0, 0, 255] }
            packed.append(bytes)
        }
        let file = PNGFile.make(width: 10, height: 3, bitDepth: 1, colorType: 0, scanlines: PNGFile.scanlines(packed))
        return Fixture(name: "gray 1-bit", file: file, width: 10, expectedRGBA: rgba)
    }()

    static let grayAlpha8: Fixture = {
        var rows: [[UInt8]] = []
        var rgba: [UInt8] = []
        for y in 0..<4 {
            var row: [UInt8] = []
            for x in 0..<5 {
                let gray = UInt8(x * 50), alpha = UInt8(255 - y * 60)
                row += [gray, alpha]
                rgba += [gray, gray, gray, alpha]
            }
            rows.append(row)
        }
        let file = PNGFile.make(width: 5, height: 4, bitDepth: 8, colorType: 4, scanlines: PNGFile.scanlines(rows))
        return Fixture(name: "gray+alpha 8-bit", file: file, width: 5, expectedRGBA: rgba)
    }()

    /// Samples whose high and low bytes are equal, so scaling 16 to 8 bits is exact.
    static let rgb16: Fixture = {
        var rows: [[UInt8]] = []
        var rgba: [UInt8] = []
        for y in 0..<3 {
            var row: [UInt8] = []
            for x in 0..<4 {
                let samples: [UInt8] = [UInt8(x * 60), UInt8(y * 90), 77]
                for sample in samples { row += [sample, sample] }
                rgba += samples + [255]
            }
            rows.append(row)
        }
        let file = PNGFile.make(width: 4, height: 3, bitDepth: 16, colorType: 2, scanlines: PNGFile.scanlines(rows))
        return Fixture(name: "RGB 16-bit", file: file, width: 4, expectedRGBA: rgba)
    }()

    /// RGB8 with a tRNS colour: exactly the pixels of that colour become transparent.
    static let rgbWithTRNS: Fixture = {
        var rows: [[UInt8]] = []
        var rgba: [UInt8] = []
        for y in 0..<2 {
            var row: [UInt8] = []
            for x in 0..<3 {
                let pixel: [UInt8] = (x + y) % 2 == 0 ? [1, 2, 3] : [9, UInt8(x), 200]
                row += pixel
                rgba += pixel + [pixel == [1, 2, 3] ? 0 : 255]
            }
            rows.append(row)
        }
        let file = PNGFile.make(
            width: 3, height: 2, bitDepth: 8, colorType: 2, scanlines: PNGFile.scanlines(rows),
            extraChunks: [PNGFile.chunk("tRNS", [0, 1, 0, 2, 0, 3])])
        return Fixture(name: "RGB 8-bit with tRNS", file: file, width: 3, expectedRGBA: rgba)
    }()

    /// Adam7: the scanlines are the seven passes' sub-images in order.
    static let rgbInterlaced: Fixture = {
        let image = Samples.image(width: 11, height: 9, format: .rgb8, seed: 5)
        let passes: [(x0: Int, y0: Int, dx: Int, dy: Int)] = [
            (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
        ]
        var scanlines: [UInt8] = []
        for pass in passes where pass.x0 < image.width && pass.y0 < image.height {
            for y in stride(from: pass.y0, to: image.height, by: pass.dy) {
                scanlines.append(0)
                for x in stride(from: pass.x0, to: image.width, by: pass.dx) {
                    let at = (y * image.width + x) * 3
                    scanlines += image.pixels[at..<(at + 3)]
                }
            }
        }
        let file = PNGFile.make(width: 11, height: 9, bitDepth: 8, colorType: 2, interlaced: true, scanlines: scanlines)
        return Fixture(name: "RGB 8-bit interlaced", file: file, width: 11, expectedRGBA: rgba(image))
    }()
}
