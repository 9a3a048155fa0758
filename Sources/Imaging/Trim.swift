/// Trimming an image to its visible content.
public enum Trim {
    /// The smallest rectangle holding every pixel whose alpha is at least `minimumAlpha`,
    /// or `nil` when there is none.
    public static func contentBounds(of image: RGBAImage, minimumAlpha: UInt8 = 1) -> PixelRect? {
        var bounds = ContentBounds(minimumAlpha: minimumAlpha)
        image.pixels.withUnsafeBufferPointer { pixels in
            let rowBytes = image.width * 4
            for y in 0..<image.height {
                bounds.include(row: UnsafeBufferPointer(rebasing: pixels[(y * rowBytes)..<((y + 1) * rowBytes)]), y: y, width: image.width)
            }
        }
        return bounds.rect
    }

    /// `image` cropped to ``contentBounds(of:minimumAlpha:)``, or `nil` when nothing is visible.
    public static func trimmed(_ image: RGBAImage, minimumAlpha: UInt8 = 1) -> RGBAImage? {
        contentBounds(of: image, minimumAlpha: minimumAlpha).map { image.cropped(to: $0) }
    }
}
