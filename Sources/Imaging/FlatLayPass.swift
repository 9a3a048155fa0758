/// ``FlatLayCompositor``'s work for one design in one print area, row by row.
public struct FlatLayPass: CompositePass {
    /// The rectangle the design was fitted into, clipped to the template.
    public let visible: PixelRect
    public var rows: Range<Int> { visible.y..<(visible.y + max(visible.height, 0)) }

    private let design: RGBAImage
    private let placement: PixelRect
    /// `nil` only when nothing is visible.
    private let map: ShadingMap?

    init(design: RGBAImage, placement: PixelRect, visible: PixelRect, map: ShadingMap?) {
        self.design = design
        self.placement = placement
        self.visible = visible
        self.map = map
    }

    public func draw(into row: UnsafeMutableBufferPointer<UInt8>, y: Int, channels: Int) {
        guard rows.contains(y), let map else { return }
        precondition(row.count >= visible.maxX * channels, "row is narrower than the placement")
        let exact = design.width == placement.width && design.height == placement.height
        let scaleX = Float(design.width) / Float(placement.width)
        let scaleY = Float(design.height) / Float(placement.height)
        let designRow = y - placement.y
        let design = self.design
        design.pixels.withUnsafeBufferPointer { designPixels in
            for x in visible.x..<visible.maxX {
                let column = x - placement.x
                let ink: SIMD4<Float>
                if exact {
                    ink = CompositeBlend.texel(designPixels, index: (designRow * design.width + column) * 4)
                } else {
                    ink = CompositeBlend.sample(designPixels, width: design.width, height: design.height,
                                                x: (Float(column) + 0.5) * scaleX, y: (Float(designRow) + 0.5) * scaleY)
                }
                CompositeBlend.blend(ink, factor: map.factor(x: x, y: y), into: row, at: x * channels, channels: channels)
            }
        }
    }
}
