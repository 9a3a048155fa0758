/// An axis-aligned rectangle of whole pixels: columns `x ..< x + width`, rows
/// `y ..< y + height` (origin top left, y down). Crops, print areas and placements.
public struct PixelRect: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)×\(height)+\(x)+\(y)" }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The overlap of two rectangles (empty, with non-negative size, when they do not meet).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        return PixelRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    /// The largest rectangle with the aspect ratio of `width × height` that fits inside
    /// this one, centred in it (the "fit, keep aspect" placement of a design).
    public func fitting(width sourceWidth: Int, height sourceHeight: Int) -> PixelRect {
        guard sourceWidth > 0, sourceHeight > 0, !isEmpty else { return PixelRect(x: x, y: y, width: 0, height: 0) }
        let scale = min(Double(width) / Double(sourceWidth), Double(height) / Double(sourceHeight))
        let fittedWidth = min(width, max(1, Int((Double(sourceWidth) * scale).rounded())))
        let fittedHeight = min(height, max(1, Int((Double(sourceHeight) * scale).rounded())))
        return PixelRect(x: x + (width - fittedWidth) / 2, y: y + (height - fittedHeight) / 2,
                             width: fittedWidth, height: fittedHeight)
    }
}
