/// An axis-aligned rectangle in millimetres on one side of a garment: `x`, `y` from the
/// printable area's top-left corner.
public struct MillimetreRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// Top-left, top-right, bottom-right, bottom-left (the order of a print quad).
    public var corners: [SIMD2<Double>] {
        [SIMD2(x, y), SIMD2(maxX, y), SIMD2(maxX, maxY), SIMD2(x, maxY)]
    }

    /// Whether `other` lies inside this one (0.01 mm of slack for rounding in manifests).
    public func contains(_ other: MillimetreRect) -> Bool {
        let slack = 0.01
        return other.x >= x - slack && other.y >= y - slack && other.maxX <= maxX + slack && other.maxY <= maxY + slack
    }

    /// The largest rectangle with the aspect ratio `width × height` inside this one,
    /// centred horizontally and against the top edge: a print is placed from the top
    /// of its box down (as printers measure "so far below the collar"), centred across it.
    public func fittingTop(width sourceWidth: Int, height sourceHeight: Int) -> MillimetreRect {
        guard sourceWidth > 0, sourceHeight > 0, width > 0, height > 0 else { return MillimetreRect(x: x, y: y, width: 0, height: 0) }
        let scale = min(width / Double(sourceWidth), height / Double(sourceHeight))
        let fittedWidth = Double(sourceWidth) * scale, fittedHeight = Double(sourceHeight) * scale
        return MillimetreRect(x: x + (width - fittedWidth) / 2, y: y, width: fittedWidth, height: fittedHeight)
    }
}
