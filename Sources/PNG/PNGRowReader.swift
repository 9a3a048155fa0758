import PNGSupport

/// Decodes a PNG one RGBA8 row at a time, so a large image can be downscaled or
/// composited while only a row (not the image) is in memory.
///
/// Every colour type and bit depth becomes 8-bit sRGB RGBA, the same pixels
/// ``PNGDecoder/decode(_:as:limits:)`` gives for `.rgba8`. Interlaced (Adam7) files are
/// the exception to "one row in memory": they are decoded whole, within the limits,
/// because their rows are only complete after the last pass.
///
/// Owns a libpng reader, freed on deinit. Not thread-safe: use it from one thread at a
/// time (it is not `Sendable`). Synchronous and CPU-bound.
public final class PNGRowReader {
    public let header: ImageHeader
    /// Rows handed out so far; the next row's index.
    public private(set) var rowsRead = 0
    /// Always RGBA8.
    public var format: PixelFormat { .rgba8 }
    public var bytesPerRow: Int { header.width * format.bytesPerPixel }

    /// The C reader keeps only an offset into these bytes; each call lends it their storage again.
    private let data: [UInt8]
    private let reader: OpaquePointer

    /// Reads the header, checks it against `limits`, then prepares decoding.
    /// - Throws: ``PNGError``; `.tooLarge` before anything image-sized is allocated.
    public init(_ data: [UInt8], limits: DecodingLimits = DecodingLimits()) throws {
        var cHeader = pngsupport_header()
        var status = pngsupport_status()
        let opened = data.withUnsafeBufferPointer { bytes in
            pngsupport_reader_open(bytes.baseAddress, bytes.count, &cHeader, &status)
        }
        guard let opened else { throw PNGError(status, .decoding) }
        let header = ImageHeader(cHeader)
        do {
            try limits.check(header)
            let code = data.withUnsafeBufferPointer { bytes in
                pngsupport_reader_start(opened, bytes.baseAddress, bytes.count, &status)
            }
            guard code == PNGSUPPORT_OK.rawValue else { throw PNGError(status, .decoding) }
        } catch {
            pngsupport_reader_close(opened)
            throw error
        }
        self.data = data
        self.reader = opened
        self.header = header
    }

    deinit {
        pngsupport_reader_close(reader)
    }

    /// Decodes the next row into `row`, resizing it to ``bytesPerRow`` if needed.
    /// - Returns: `false` (leaving `row` alone) once every row has been read.
    /// - Throws: ``PNGError``; after an error the reader is unusable.
    public func readRow(into row: inout [UInt8]) throws -> Bool {
        guard rowsRead < header.height else { return false }
        if row.count != bytesPerRow {
            row = [UInt8](repeating: 0, count: bytesPerRow)
        }
        var status = pngsupport_status()
        let code = data.withUnsafeBufferPointer { bytes in
            row.withUnsafeMutableBufferPointer { out in
                pngsupport_reader_read_row(reader, bytes.baseAddress, bytes.count, out.baseAddress, out.count, &status)
            }
        }
        guard code == PNGSUPPORT_OK.rawValue else { throw PNGError(status, .decoding) }
        rowsRead += 1
        return true
    }

    /// The next row, or `nil` after the last one.
    /// - Throws: ``PNGError``.
    public func nextRow() throws -> [UInt8]? {
        var row: [UInt8] = []
        return try readRow(into: &row) ? row : nil
    }
}

/// One owner at a time: the libpng reader behind it is not thread-safe.
@available(*, unavailable)
extension PNGRowReader: Sendable {}
