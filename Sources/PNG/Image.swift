/// A decoded image: rows top to bottom, tightly packed (`bytesPerRow` apart).
public struct Image: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var format: PixelFormat
    /// `height * bytesPerRow` bytes.
    public var pixels: [UInt8]
    /// Dots per inch recorded in the pHYs chunk; `nil` when the file records none
    /// (or records an aspect ratio only, or different horizontal and vertical densities).
    /// The encoder writes it back as a pHYs chunk.
    public var dpi: Int?

    public init(width: Int, height: Int, format: PixelFormat, pixels: [UInt8], dpi: Int? = nil) {
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
        self.dpi = dpi
    }

    public var bytesPerRow: Int { width * format.bytesPerPixel }
}
