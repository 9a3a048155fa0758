import PNGSupport

/// Encodes a PNG one row at a time, top to bottom, so an image that is itself produced
/// row by row (a template streamed through a compositor) never has to exist whole.
///
/// The encoded bytes go straight into the array ``finish()`` returns; libpng keeps only
/// about one IDAT chunk (128 KB) of them in between.
///
/// Owns a libpng writer, freed on deinit. Not thread-safe: use it from one thread at a
/// time (it is not `Sendable`). Synchronous and CPU-bound.
public final class PNGRowWriter {
    public let width: Int
    public let height: Int
    public let format: PixelFormat
    /// Rows accepted so far.
    public private(set) var rowsWritten = 0
    public var bytesPerRow: Int { width * format.bytesPerPixel }

    private let writer: OpaquePointer
    private var encoded: [UInt8] = []

    /// Writes the signature and header chunks (with a pHYs chunk when `dpi` is given).
    /// - Throws: ``PNGError`` `.invalidArgument` for a non-positive size, an out-of-range
    ///   option or dpi.
    public init(width: Int, height: Int, format: PixelFormat, dpi: Int? = nil, options: EncodingOptions = EncodingOptions()) throws {
        var settings = try Self.settings(width: width, height: height, format: format, dpi: dpi, options: options)
        var status = pngsupport_status()
        guard let opened = pngsupport_writer_open(&settings, &status) else { throw PNGError(status, .encoding) }
        self.writer = opened
        self.width = width
        self.height = height
        self.format = format
        // Room for the worst case (deflate's stored blocks plus chunk overhead) up front:
        // growing by doubling would copy the output and briefly hold it twice. Pages of
        // the reserve that are never written are never made resident.
        let raw = height * (bytesPerRow + 1)
        encoded.reserveCapacity(raw + raw / 8 + raw / 64 + 1024)
        takePending()
    }

    deinit {
        pngsupport_writer_close(writer)
    }

    /// Compresses the next row: ``bytesPerRow`` bytes of RGB8 or RGBA8, as `format` says.
    /// - Throws: ``PNGError``: `.invalidArgument` for a row of the wrong size or one row
    ///   too many; after an encoding error the writer is unusable.
    public func write(row: UnsafeRawBufferPointer) throws {
        var status = pngsupport_status()
        let code = pngsupport_writer_write_row(writer, row.baseAddress?.assumingMemoryBound(to: UInt8.self), row.count, &status)
        guard code == PNGSUPPORT_OK.rawValue else { throw PNGError(status, .encoding) }
        rowsWritten += 1
        takePending()
    }

    /// Ends the image and hands over the encoded file.
    /// - Throws: ``PNGError`` `.invalidArgument` when fewer than `height` rows were written.
    public func finish() throws -> [UInt8] {
        var status = pngsupport_status()
        guard pngsupport_writer_finish(writer, &status) == PNGSUPPORT_OK.rawValue else { throw PNGError(status, .encoding) }
        takePending()
        defer { encoded = [] }
        return encoded
    }

    private func takePending() {
        var count = 0
        guard let bytes = pngsupport_writer_pending(writer, &count), count > 0 else { return }
        encoded.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        pngsupport_writer_clear_pending(writer)
    }

    private static func settings(
        width: Int, height: Int, format: PixelFormat, dpi: Int?, options: EncodingOptions
    ) throws -> pngsupport_encode_options {
        func invalid(_ detail: String) -> PNGError { PNGError(.invalidArgument, detail: detail) }
        guard let cWidth = UInt32(exactly: width), let cHeight = UInt32(exactly: height), width > 0, height > 0 else {
            throw invalid("width and height must be positive 32-bit values")
        }
        guard (0...9).contains(options.compressionLevel) else { throw invalid("compression level must be 0...9") }
        guard !options.filters.isEmpty else { throw invalid("at least one filter is required") }
        var pixelsPerMeter: UInt32 = 0
        if let dpi {
            guard let converted = Resolution.pixelsPerMeter(dpi: dpi) else { throw invalid("dpi must be 1...1000000") }
            pixelsPerMeter = converted
        }
        // The C side re-checks these values.
        return pngsupport_encode_options(
            width: cWidth, height: cHeight, channels: Int32(format.bytesPerPixel),
            compression_level: Int32(options.compressionLevel), filters: options.filters.code,
            strategy: options.strategy.code, pixels_per_meter: pixelsPerMeter)
    }
}

/// One owner at a time: the libpng writer behind it is not thread-safe.
@available(*, unavailable)
extension PNGRowWriter: Sendable {}
