/// ``PerspectiveCompositor``'s work for one design on one print quad, row by row.
public struct PerspectivePass: CompositePass {
    /// The quad's pixel bounding box on the template: what may change.
    public let box: PixelRect
    public var rows: Range<Int> { map == nil ? box.y..<box.y : box.y..<box.maxY }

    private let design: RGBAImage
    private let placement: PixelRect
    private let nominal: (width: Int, height: Int)
    /// Template pixel centres → the nominal rectangle, as `Float` for the per-pixel loop.
    private let inverse: [Float]
    /// `nil` only when nothing can be drawn.
    private let map: ShadingMap?

    init(design: RGBAImage, placement: PixelRect, nominal: (width: Int, height: Int), inverse: Homography,
         box: PixelRect, map: ShadingMap?) {
        self.design = design
        self.placement = placement
        self.nominal = nominal
        self.inverse = inverse.matrix.map { Float($0) }
        self.box = box
        self.map = map
    }

    public func draw(into row: UnsafeMutableBufferPointer<UInt8>, y: Int, channels: Int) {
        guard rows.contains(y), let map else { return }
        precondition(row.count >= box.maxX * channels, "row is narrower than the print quad")
        let m = inverse
        let (m0, m1, m2, m3, m4, m5, m6, m7, m8) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        let width = Float(nominal.width), height = Float(nominal.height)
        let scaleX = Float(design.width) / Float(placement.width)
        let scaleY = Float(design.height) / Float(placement.height)
        let originX = Float(placement.x), originY = Float(placement.y)
        let design = self.design
        design.pixels.withUnsafeBufferPointer { designPixels in
            for x in box.x..<box.maxX {
                let px = Float(x) + 0.5, py = Float(y) + 0.5
                // Clip on the undisplaced centre: displacement must never move ink
                // outside the print area.
                let w = m6 * px + m7 * py + m8
                let u = (m0 * px + m1 * py + m2) / w, v = (m3 * px + m4 * py + m5) / w
                guard w > 0, u >= 0, v >= 0, u <= width, v <= height else { continue }
                let shift = map.offset(x: x, y: y)
                let sx = px + shift.x, sy = py + shift.y
                let sw = m6 * sx + m7 * sy + m8
                let su = (m0 * sx + m1 * sy + m2) / sw, sv = (m3 * sx + m4 * sy + m5) / sw
                let ink = CompositeBlend.sample(designPixels, width: design.width, height: design.height,
                                                x: (su - originX) * scaleX, y: (sv - originY) * scaleY)
                CompositeBlend.blend(ink, factor: map.factor(x: x, y: y), into: row, at: x * channels, channels: channels)
            }
        }
    }
}
