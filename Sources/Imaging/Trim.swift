/// Trimming an image to its visible content.
public enum Trim {
    /// The smallest rectangle holding every pixel whose alpha is at least `minimumAlpha`,
    /// or `nil` when there is none.
    public static func contentBounds(of image: RGBAImage, minimumAlpha: UInt8 = 1) -> PixelRect? {
        let width = image.width
        var minX = width, maxX = -1, minY = -1, maxY = -1
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                let row = y * width * 4
                // Find this row's first and last visible pixel; skip the middle once both
                // are known to lie inside the current box (the common case).
                var first = -1
                for x in 0..<width where pixels[row + x * 4 + 3] >= minimumAlpha {
                    first = x
                    break
                }
                if first < 0 { continue }
                var last = first
                for x in stride(from: width - 1, to: first, by: -1) where pixels[row + x * 4 + 3] >= minimumAlpha {
                    last = x
                    break
                }
                if minY < 0 { minY = y }
                maxY = y
                minX = min(minX, first)
                maxX = max(maxX, last)
            }
        }
        guard minY >= 0 else { return nil }
        return PixelRect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    /// `image` cropped to ``contentBounds(of:minimumAlpha:)``, or `nil` when nothing is visible.
    public static func trimmed(_ image: RGBAImage, minimumAlpha: UInt8 = 1) -> RGBAImage? {
        contentBounds(of: image, minimumAlpha: minimumAlpha).map { image.cropped(to: $0) }
    }
}
