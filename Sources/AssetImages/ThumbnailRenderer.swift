import Imaging
import PNG

/// Makes a thumbnail PNG from a stored PNG, streaming: the source is decoded row by row
/// and each row goes through the resampler and into the encoder as it arrives, so a
/// 4500×5400 design (97 MB decoded) never exists in memory whole.
///
/// Synchronous and CPU-bound: run it off the cooperative pool (``AssetImageStore`` does).
public enum ThumbnailRenderer {
    /// Decoding bounds for stored images: they were made by our own workers, but a
    /// thumbnail must never be the way a huge or corrupt blob exhausts the intake.
    static let limits = DecodingLimits(maxWidth: 20_000, maxHeight: 20_000, maxPixels: 60_000_000)

    /// The thumbnail of `png` at `width` pixels wide, the height keeping the aspect ratio
    /// (rounded, at least 1); nil when the source is not wider than `width` (thumbnails
    /// are never upscaled: the caller serves the original). Transparency is kept.
    ///
    /// - Throws: ``PNGError`` for a corrupt or oversized source.
    public static func render(_ png: [UInt8], width: ThumbnailWidth) throws -> [UInt8]? {
        let reader = try PNGRowReader(png, as: .rgba8, limits: limits)
        let (sourceWidth, sourceHeight) = (reader.header.width, reader.header.height)
        guard sourceWidth > width.pixels else { return nil }
        let size = outputSize(width: sourceWidth, height: sourceHeight, target: width)
        let resizer = StreamingResizer(
            inputWidth: sourceWidth, inputHeight: sourceHeight, outputWidth: size.width, outputHeight: size.height)
        // Level 6 with every filter is libpng's default; a thumbnail is made once and served
        // many times, so the smaller file is worth the few milliseconds.
        let writer = try PNGRowWriter(width: size.width, height: size.height, format: .rgba8)
        var row: [UInt8] = []
        while try reader.readRow(into: &row) {
            try resizer.push(row: row) { _, output in
                try writer.write(row: UnsafeRawBufferPointer(output))
            }
        }
        return try writer.finish()
    }

    /// `target` wide, the height scaled in proportion (rounded to nearest, at least 1).
    public static func outputSize(width: Int, height: Int, target: ThumbnailWidth) -> (width: Int, height: Int) {
        let scaled = (height * target.pixels + width / 2) / width
        return (target.pixels, max(scaled, 1))
    }
}
