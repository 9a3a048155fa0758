/// An 8-bit RGB or RGBA raster that designs are composited onto: a garment template.
///
/// Separate from ``RGBAImage`` because templates are RGB (a quarter smaller to hold, and
/// they encode as RGB): converting them to RGBA and back would cost a copy each way.
public struct CompositeCanvas: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// 3 (RGB) or 4 (RGBA, straight alpha).
    public var channels: Int
    /// Rows top to bottom, tightly packed: `width * channels` bytes per row.
    public var pixels: [UInt8]

    /// - Precondition: a positive size, 3 or 4 channels, and a matching buffer.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && (channels == 3 || channels == 4), "canvas size or channels invalid")
        precondition(pixels.count == width * height * channels, "pixel buffer does not match the canvas size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public var bytesPerRow: Int { width * channels }
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// Rec. 709 luma of one pixel, 0…1 (alpha ignored).
    public func luminance(x: Int, y: Int) -> Double {
        let index = (y * width + x) * channels
        return (0.2126 * Double(pixels[index]) + 0.7152 * Double(pixels[index + 1])
            + 0.0722 * Double(pixels[index + 2])) / 255
    }
}
