import PNGSupport

/// Decodes a PNG one RGBA8 row at a time, so a large image can be downscaled or
/// composited while only a row (not the image) is in memory. Reads from bytes in memory
/// or straight from a file (then not even the encoded file is held).
///
/// Every colour type and bit depth becomes 8-bit sRGB RGBA, the same pixels
/// ``PNGDecoder/decode(_:as:limits:)`` gives for `.rgba8`; asked for `.rgb8`, rows come
/// with any transparency composited onto white in linear light, as that decoder does
/// (identical for opaque images; where pixels are partly transparent, libpng's 8-bit
/// gamma tables round differently from the exact arithmetic here, by up to 4 levels). Interlaced (Adam7) files are
/// the exception to "one row in memory": they are decoded whole, within the limits,
/// because their rows are only complete after the last pass.
///
/// Owns a libpng reader, freed on deinit. Not thread-safe: use it from one thread at a
/// time (it is not `Sendable`). Synchronous and CPU-bound.
public final class PNGRowReader {
    public let header: ImageHeader
    /// Rows handed out so far; the next row's index.
    public private(set) var rowsRead = 0
    /// What rows are delivered as.
    public let format: PixelFormat
    public var bytesPerRow: Int { header.width * format.bytesPerPixel }

    /// The C reader keeps only an offset into these bytes; each call lends it their storage
    /// again. Empty when reading from a file (the C reader then owns the file).
    private let data: [UInt8]
    private let reader: OpaquePointer
    /// One RGBA8 row, when rows are delivered as RGB8.
    private var scratch: [UInt8] = []

    /// Reads the header, checks it against `limits`, then prepares decoding.
    /// - Parameter format: what rows are delivered as (see the type's description).
    /// - Throws: ``PNGError``; `.tooLarge` before anything image-sized is allocated.
    public convenience init(_ data: [UInt8], as format: PixelFormat = .rgba8, limits: DecodingLimits = DecodingLimits()) throws {
        var header = pngsupport_header()
        var status = pngsupport_status()
        let opened = data.withUnsafeBufferPointer { bytes in
            pngsupport_reader_open(bytes.baseAddress, bytes.count, &header, &status)
        }
        guard let opened else { throw PNGError(status, .decoding) }
        try self.init(opened: opened, header: header, data: data, format: format, limits: limits)
    }

    /// Reads the file at `path` as rows are asked for, holding neither the file nor the image.
    /// - Throws: ``PNGError``: `.unreadable` when the file cannot be opened or read; the
    ///   others as for bytes in memory.
    public convenience init(
        contentsOfFile path: String, as format: PixelFormat = .rgba8, limits: DecodingLimits = DecodingLimits()
    ) throws {
        var header = pngsupport_header()
        var status = pngsupport_status()
        guard let opened = pngsupport_reader_open_file(path, &header, &status) else {
            throw PNGError(status, .decoding)
        }
        try self.init(opened: opened, header: header, data: [], format: format, limits: limits)
    }

    /// Takes `opened` over: it is closed here on failure, on deinit otherwise.
    private init(
        opened: OpaquePointer, header cHeader: pngsupport_header, data: [UInt8], format: PixelFormat, limits: DecodingLimits
    ) throws {
        let header = ImageHeader(cHeader)
        do {
            try limits.check(header)
            var status = pngsupport_status()
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
        self.format = format
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
        try row.withUnsafeMutableBufferPointer { try readRow(into: $0) }
        return true
    }

    /// Decodes the next row into `row`, which must hold at least ``bytesPerRow`` bytes.
    /// - Throws: ``PNGError``: `.invalidArgument` when the buffer is too small or every row
    ///   has been read; after a decoding error the reader is unusable.
    public func readRow(into row: UnsafeMutableBufferPointer<UInt8>) throws {
        guard format == .rgb8 else {
            try decodeRow(into: row)
            return
        }
        guard row.count >= bytesPerRow else { throw PNGError(.invalidArgument, detail: "row buffer too small") }
        if scratch.isEmpty {
            scratch = [UInt8](repeating: 0, count: header.width * 4)
        }
        try scratch.withUnsafeMutableBufferPointer { rgba in
            try decodeRow(into: rgba)
            OntoWhite.flatten(UnsafeBufferPointer(rgba), into: row, pixels: header.width)
        }
    }

    /// The next RGBA8 row, straight from libpng.
    private func decodeRow(into row: UnsafeMutableBufferPointer<UInt8>) throws {
        var status = pngsupport_status()
        let code = data.withUnsafeBufferPointer { bytes in
            pngsupport_reader_read_row(reader, bytes.baseAddress, bytes.count, row.baseAddress, row.count, &status)
        }
        guard code == PNGSUPPORT_OK.rawValue else { throw PNGError(status, .decoding) }
        rowsRead += 1
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
