/// Encodes RGB8/RGBA8 pixels with chosen zlib settings and an optional pHYs (DPI) chunk.
/// Whole images in memory; ``PNGRowWriter`` (which this uses) takes rows as they are made.
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
        let writer = try PNGRowWriter(width: width, height: height, format: format, dpi: dpi, options: options)
        let rowBytes = writer.bytesPerRow
        guard bytesPerRow >= rowBytes else {
            throw PNGError(.invalidArgument, detail: "stride is smaller than a row")
        }
        let (last, overflow) = (height - 1).multipliedReportingOverflow(by: bytesPerRow)
        guard !overflow, last <= pixels.count - rowBytes else {
            throw PNGError(.invalidArgument, detail: "pixel buffer is smaller than height rows of stride bytes")
        }
        for y in 0..<height {
            try writer.write(row: UnsafeRawBufferPointer(rebasing: pixels[(y * bytesPerRow)..<(y * bytesPerRow + rowBytes)]))
        }
        return try writer.finish()
    }
}
