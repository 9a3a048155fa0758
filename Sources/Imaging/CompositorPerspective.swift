/// Composites a design onto a garment photographed at an angle: the print area is a
/// quadrilateral (top-left, top-right, bottom-right, bottom-left), the design is fitted
/// into a rectangle of the quad's nominal size and mapped onto the quad by a
/// ``Homography``, shaded like ``FlatLayCompositor`` and nudged by the fabric's relief.
public struct PerspectiveCompositor: Sendable {
    public var options: ShadingOptions

    public init(options: ShadingOptions = ShadingOptions()) {
        self.options = options
    }

    /// The flat rectangle the quad stands for: the mean lengths of its opposite edges.
    /// Designs are fitted (and should be shrunk) to this size.
    public static func nominalSize(of corners: [SIMD2<Double>]) -> (width: Int, height: Int) {
        precondition(corners.count == 4, "a print quad has four corners")
        func length(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
        let width = (length(corners[0], corners[1]) + length(corners[3], corners[2])) / 2
        let height = (length(corners[0], corners[3]) + length(corners[1], corners[2])) / 2
        return (max(1, Int(width.rounded())), max(1, Int(height.rounded())))
    }

    /// Draws `design` into the quad `corners` of `canvas`. Only pixels whose centres lie
    /// inside the quad change.
    ///
    /// - Parameters:
    ///   - shading: the shading source, the same size as `canvas`; `nil` uses the canvas.
    ///   - designSize: the original design size, when `design` is a shrunk copy.
    /// - Returns: the pixel bounding box of the quad on the canvas (what may have changed).
    /// - Throws: ``ImagingError`` `.invalidSize` when the corners are degenerate.
    @discardableResult
    public func composite(
        _ design: RGBAImage, corners: [SIMD2<Double>], on canvas: inout CompositeCanvas,
        shading: CompositeCanvas? = nil, designSize: (width: Int, height: Int)? = nil
    ) throws(ImagingError) -> PixelRect {
        guard corners.count == 4, corners.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw ImagingError(.invalidSize, "a print quad needs four finite corners")
        }
        let nominal = Self.nominalSize(of: corners)
        let rectangle: [SIMD2<Double>] = [
            SIMD2(0, 0), SIMD2(Double(nominal.width), 0),
            SIMD2(Double(nominal.width), Double(nominal.height)), SIMD2(0, Double(nominal.height)),
        ]
        guard let forward = Homography(from: rectangle, to: corners), let inverse = forward.inverse else {
            throw ImagingError(.invalidSize, "the print quad's corners are degenerate (three in a line)")
        }
        let size = designSize ?? (design.width, design.height)
        let placement = PixelRect(x: 0, y: 0, width: nominal.width, height: nominal.height)
            .fitting(width: size.width, height: size.height)
        let box = Self.boundingBox(corners).intersection(canvas.bounds)
        guard !box.isEmpty, !placement.isEmpty else { return box }
        let map = ShadingMap(source: shading ?? canvas, region: box, options: options)
        draw(design, placement: placement, nominal: nominal, inverse: inverse, box: box, map: map, on: &canvas)
        return box
    }

    private func draw(
        _ design: RGBAImage, placement: PixelRect, nominal: (width: Int, height: Int),
        inverse: Homography, box: PixelRect, map: ShadingMap, on canvas: inout CompositeCanvas
    ) {
        let m = inverse.matrix.map { Float($0) }
        let (m0, m1, m2, m3, m4, m5, m6, m7, m8) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        let width = Float(nominal.width), height = Float(nominal.height)
        let scaleX = Float(design.width) / Float(placement.width)
        let scaleY = Float(design.height) / Float(placement.height)
        let originX = Float(placement.x), originY = Float(placement.y)
        let channels = canvas.channels, canvasWidth = canvas.width
        design.pixels.withUnsafeBufferPointer { designPixels in
            canvas.pixels.withUnsafeMutableBufferPointer { pixels in
                for y in box.y..<box.maxY {
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
                        CompositeBlend.blend(ink, factor: map.factor(x: x, y: y), into: pixels,
                                             at: (y * canvasWidth + x) * channels, channels: channels)
                    }
                }
            }
        }
    }

    private static func boundingBox(_ corners: [SIMD2<Double>]) -> PixelRect {
        let xs = corners.map(\.x), ys = corners.map(\.y)
        let left = Int((xs.min() ?? 0).rounded(.down)), top = Int((ys.min() ?? 0).rounded(.down))
        let right = Int((xs.max() ?? 0).rounded(.up)), bottom = Int((ys.max() ?? 0).rounded(.up))
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }
}
