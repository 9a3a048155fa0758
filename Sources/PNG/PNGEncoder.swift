import PNGSupport

/// Encodes RGB8/RGBA8 pixels with chosen zlib settings and an optional pHYs (DPI) chunk.
///
/// Synchronous and CPU-bound: call it from a thread meant for blocking work.
public enum PNGEncoder {
    /// Encodes `image`, writing `image.dpi` (if any) as a pHYs chunk.
    /// - Throws: ``PNGError`` (`.invalidArgument` if `pixels` is not `height * bytesPerRow` bytes).
    public static func encode(_ image: Image, options: EncodingOptions = EncodingOptions()) throws -> [UInt8] {
        guard image.width > 0, image.height > 0,
              image.pixels.count == image.height * image.bytesPerRow else {
            throw PNGError(.invalidArgument, detail: "pixels must hold \(image.width)x\(image.height) \(image.format) pixels")
        }
        return try image.pixels.withUnsafeBytes { pixels in
            try encode(pixels: pixels, width: image.width, height: image.height, bytesPerRow: image.bytesPerRow,
                       format: image.format, dpi: image.dpi, options: options)
        }
    }

    /// Encodes rows that lie `bytesPerRow` apart in `pixels` (padding allowed), so callers
    /// can encode a region of a larger buffer without copying it.
    /// - Throws: ``PNGError``.
    public static func encode(
        pixels: UnsafeRawBufferPointer, width: Int, height: Int, bytesPerRow: Int,
        format: PixelFormat, dpi: Int? = nil, options: EncodingOptions = EncodingOptions()
    ) throws -> [UInt8] {
        var settings = try settings(width: width, height: height, bytesPerRow: bytesPerRow, format: format,
                                    dpi: dpi, options: options)
        var buffer = pngsupport_buffer()
        var status = pngsupport_status()
        let code = pngsupport_encode(pixels.baseAddress?.assumingMemoryBound(to: UInt8.self), pixels.count,
                                     &settings, &buffer, &status)
        guard code == PNGSUPPORT_OK.rawValue else { throw PNGError(status, .encoding) }
        defer { pngsupport_buffer_free(&buffer) }
        return Array(UnsafeBufferPointer(start: buffer.bytes, count: buffer.count))
    }

    private static func settings(
        width: Int, height: Int, bytesPerRow: Int, format: PixelFormat, dpi: Int?, options: EncodingOptions
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
        // The C side re-checks stride and buffer size against these values.
        return pngsupport_encode_options(
            width: cWidth, height: cHeight, stride: max(bytesPerRow, 0), channels: Int32(format.bytesPerPixel),
            compression_level: Int32(options.compressionLevel), filters: options.filters.code,
            strategy: options.strategy.code, pixels_per_meter: pixelsPerMeter)
    }
}
