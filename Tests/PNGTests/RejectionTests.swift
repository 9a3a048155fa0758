#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import PNG
import Testing

@Suite("Rejecting bad input")
struct RejectionTests {
    static let valid: [UInt8] = try! PNGEncoder.encode(
        Samples.image(width: 40, height: 30, format: .rgba8), options: EncodingOptions(compressionLevel: 0, filters: .none))

    /// Runs both decoders on `data` and returns both errors.
    static func errors(decoding data: [UInt8], limits: DecodingLimits = DecodingLimits()) -> [PNGError?] {
        let whole = #expect(throws: PNGError.self) { try PNGDecoder.decode(data, limits: limits) }
        let streaming = #expect(throws: PNGError.self) {
            let reader = try PNGRowReader(data, limits: limits)
            while try reader.nextRow() != nil {}
        }
        return [whole, streaming]
    }

    @Test("a truncated file is rejected as truncated", arguments: [0.2, 0.5, 0.9])
    func truncated(fraction: Double) throws {
        let idat = try #require(PNGFile.chunks(in: Self.valid).first { $0.type == "IDAT" })
        let cut = idat.offset + 8 + Int(Double(idat.length) * fraction)
        for error in Self.errors(decoding: Array(Self.valid.prefix(cut))) {
            #expect(error?.code == .truncated)
            #expect(error?.description == "PNG rejected: file is truncated (data ends before the image does)")
        }
    }

    @Test("a file cut inside the signature or the header is truncated", arguments: [4, 8, 20, 33])
    func truncatedHeader(length: Int) {
        for error in Self.errors(decoding: Array(Self.valid.prefix(length))) {
            #expect(error?.code == .truncated)
        }
    }

    @Test("a flipped byte in the IDAT CRC is rejected as badCRC")
    func badIDATCRC() throws {
        var data = Self.valid
        let idat = try #require(PNGFile.chunks(in: data).first { $0.type == "IDAT" })
        data[idat.crcOffset + 2] ^= 0x5A
        for error in Self.errors(decoding: data) {
            #expect(error?.code == .badCRC)
            #expect(error?.description == "PNG rejected: chunk CRC mismatch (file is corrupt)")
            #expect(error?.debugDescription.contains("IDAT") == true)
        }
    }

    @Test("a flipped byte in the IHDR CRC is rejected as badCRC, header(of:) too")
    func badIHDRCRC() throws {
        var data = Self.valid
        let ihdr = try #require(PNGFile.chunks(in: data).first { $0.type == "IHDR" })
        data[ihdr.crcOffset] ^= 0x01
        #expect(Self.errors(decoding: data).map { $0?.code } == [.badCRC, .badCRC])
        let error = #expect(throws: PNGError.self) { try PNGDecoder.header(of: data) }
        #expect(error?.code == .badCRC)
    }

    /// A valid IHDR (correct CRC) claiming 100000×100000 RGBA8, then a few bytes of
    /// image data: decoding would need 40 GB, and if the decoder read past the header it
    /// would fail with `.truncated`/`.corrupt`, not `.tooLarge`.
    static let huge: [UInt8] = PNGFile.signature
        + PNGFile.ihdr(width: 100_000, height: 100_000, bitDepth: 8, colorType: 6)
        + PNGFile.chunk("IDAT", Zlib.stored([0, 1, 2, 3, 4])) + PNGFile.chunk("IEND", [])

    @Test("a header claiming 100000×100000 is rejected as tooLarge before allocating")
    func hugeHeader() throws {
        let header = try PNGDecoder.header(of: Self.huge)
        #expect(header.width == 100_000 && header.height == 100_000)

        let before = Self.maxResidentBytes()
        for error in Self.errors(decoding: Self.huge) {
            #expect(error?.code == .tooLarge)
            #expect(error?.claimedWidth == 100_000)
            #expect(error?.claimedHeight == 100_000)
            #expect(error?.description
                == "PNG rejected: header claims 100000×100000 pixels, limit is 20000×20000 and 100000000 pixels in total")
        }
        // The image would be 40 GB; the process's peak must not have moved by anything like it
        // (other tests run in parallel, hence the generous margin).
        #expect(Self.maxResidentBytes() - before < 512 << 20)
    }

    @Test("a width beyond libpng's own default cap (1,000,000) is still reported as tooLarge with its size")
    func beyondLibpngCap() throws {
        let data = PNGFile.signature + PNGFile.ihdr(width: 2_000_000, height: 10, bitDepth: 8, colorType: 2)
            + PNGFile.chunk("IDAT", Zlib.stored([0])) + PNGFile.chunk("IEND", [])
        #expect(try PNGDecoder.header(of: data).width == 2_000_000)
        for error in Self.errors(decoding: data) {
            #expect(error?.code == .tooLarge)
            #expect(error?.claimedWidth == 2_000_000)
        }
    }

    @Test("each limit is enforced on its own")
    func limits() throws {
        let image = Samples.image(width: 40, height: 30, format: .rgba8)
        let data = try PNGEncoder.encode(image)
        for limits in [DecodingLimits(maxWidth: 39), DecodingLimits(maxHeight: 29), DecodingLimits(maxPixels: 1199)] {
            for error in Self.errors(decoding: data, limits: limits) {
                #expect(error?.code == .tooLarge)
                #expect(error?.limits == limits)
            }
        }
        #expect((try? PNGDecoder.decode(data, limits: DecodingLimits(maxWidth: 40, maxHeight: 30, maxPixels: 1200))) == image)
    }

    @Test("bytes that are not a PNG are rejected as notPNG", arguments: [
        [], Array("GIF89a, not a PNG at all".utf8), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46],
    ] as [[UInt8]])
    func notPNG(data: [UInt8]) {
        for error in Self.errors(decoding: data) {
            #expect(error?.code == .notPNG)
            #expect(error?.description == "PNG rejected: not a PNG file (wrong signature)")
        }
    }

    @Test("garbage image data with valid CRCs is rejected as corrupt")
    func corruptData() {
        let data = PNGFile.signature + PNGFile.ihdr(width: 8, height: 8, bitDepth: 8, colorType: 2)
            + PNGFile.chunk("IDAT", Samples.bytes(200, seed: 7)) + PNGFile.chunk("IEND", [])
        for error in Self.errors(decoding: data) {
            #expect(error?.code == .corrupt)
            #expect(error?.isRetriable == false)
        }
    }

    /// Peak resident set size of this process.
    static func maxResidentBytes() -> Int {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024  // Linux reports kilobytes
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss  // Darwin reports bytes
        #endif
    }
}
