/// Builds and edits PNG bytes by hand, independently of libpng, so tests can make files
/// our encoder never writes (palette, grayscale, 16-bit, interlaced, lying headers).
enum PNGFile {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    struct Chunk {
        var type: String
        /// Offset of the chunk's length field in the file.
        var offset: Int
        var length: Int
        var crcOffset: Int { offset + 8 + length }
    }

    static func chunks(in file: [UInt8]) -> [Chunk] {
        var result: [Chunk] = []
        var offset = signature.count
        while offset + 12 <= file.count {
            let length = Int(bigEndian32(file, at: offset))
            let type = String(decoding: file[(offset + 4)..<(offset + 8)], as: UTF8.self)
            result.append(Chunk(type: type, offset: offset, length: length))
            offset += 12 + length
        }
        return result
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bytes(UInt32(data.count)) + typeAndData + bytes(CRC32.checksum(typeAndData))
    }

    static func ihdr(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8, interlaced: Bool = false) -> [UInt8] {
        chunk("IHDR", bytes(width) + bytes(height) + [bitDepth, colorType, 0, 0, interlaced ? 1 : 0])
    }

    /// A complete file whose image data is `scanlines` (filter byte + samples per row,
    /// already in Adam7 pass order when interlaced), zlib-wrapped in stored blocks.
    static func make(
        width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8, interlaced: Bool = false,
        scanlines: [UInt8], extraChunks: [[UInt8]] = []
    ) -> [UInt8] {
        signature + ihdr(width: width, height: height, bitDepth: bitDepth, colorType: colorType, interlaced: interlaced)
            + extraChunks.flatMap { $0 } + chunk("IDAT", Zlib.stored(scanlines)) + chunk("IEND", [])
    }

    /// Filter type 0 prepended to each row.
    static func scanlines(_ rows: [[UInt8]]) -> [UInt8] {
        rows.flatMap { [0] + $0 }
    }

    static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func bigEndian32(_ file: [UInt8], at offset: Int) -> UInt32 {
        file[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { c, byte in table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    }
}

enum Zlib {
    /// A zlib stream of uncompressed ("stored") deflate blocks.
    static func stored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = UInt16(end - start)
            out += [end == data.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8),
                    UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        return out + PNGFile.bytes(adler32(data))
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
