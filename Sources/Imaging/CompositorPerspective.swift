/// Composites a design onto a garment photographed at an angle: the print area is a
/// quadrilateral (top-left, top-right, bottom-right, bottom-left), the design is fitted
/// into a rectangle of the quad's nominal size and mapped onto the quad by a
/// ``Homography``, shaded like ``FlatLayCompositor`` and nudged by the fabric's relief.
///
/// Like ``FlatLayCompositor`` it works on a template in memory or, through
/// ``shadingRegion(corners:canvasWidth:canvasHeight:)`` and
/// ``pass(_:corners:canvasWidth:canvasHeight:shading:designSize:)``, on one streaming
/// past row by row, with the same pixels either way.
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
        try Self.checkCorners(corners)
        let region = Self.shadingRegion(corners: corners, canvasWidth: canvas.width, canvasHeight: canvas.height)
        let luminance = (shading ?? canvas).shadingLuminance(in: region)
        let pass = try pass(design, corners: corners, canvasWidth: canvas.width, canvasHeight: canvas.height,
                            shading: consume luminance, designSize: designSize)
        canvas.apply(pass)
        return pass.box
    }

    /// The template pixels whose luminance the pass needs: the quad's bounding box,
    /// clipped to the template.
    public static func shadingRegion(corners: [SIMD2<Double>], canvasWidth: Int, canvasHeight: Int) -> PixelRect {
        boundingBox(corners).intersection(PixelRect(x: 0, y: 0, width: canvasWidth, height: canvasHeight))
    }

    /// The pass that draws `design` into the quad `corners` of a `canvasWidth × canvasHeight`
    /// template.
    /// - Parameters:
    ///   - shading: the luminance of ``shadingRegion(corners:canvasWidth:canvasHeight:)``
    ///     of the shading source, complete; consumed.
    ///   - designSize: the original design size, when `design` is a shrunk copy.
    ///   - fill: map the design onto the whole quad instead of fitting it inside (the
    ///     quad already has the design's aspect in the garment's plane).
    /// - Throws: ``ImagingError`` `.invalidSize` when the corners are degenerate.
    public func pass(
        _ design: RGBAImage, corners: [SIMD2<Double>], canvasWidth: Int, canvasHeight: Int,
        shading: consuming ShadingLuminance, designSize: (width: Int, height: Int)? = nil, fill: Bool = false
    ) throws(ImagingError) -> PerspectivePass {
        try Self.checkCorners(corners)
        let nominal = Self.nominalSize(of: corners)
        let rectangle: [SIMD2<Double>] = [
            SIMD2(0, 0), SIMD2(Double(nominal.width), 0),
            SIMD2(Double(nominal.width), Double(nominal.height)), SIMD2(0, Double(nominal.height)),
        ]
        guard let forward = Homography(from: rectangle, to: corners), let inverse = forward.inverse else {
            throw ImagingError(.invalidSize, "the print quad's corners are degenerate (three in a line)")
        }
        let size = designSize ?? (design.width, design.height)
        // `fill`: the corners are already the design's own (a placement fitted in
        // millimetres and mapped), so the design covers the whole quad.
        let whole = PixelRect(x: 0, y: 0, width: nominal.width, height: nominal.height)
        let placement = fill ? whole : whole.fitting(width: size.width, height: size.height)
        let box = Self.shadingRegion(corners: corners, canvasWidth: canvasWidth, canvasHeight: canvasHeight)
        guard !box.isEmpty, !placement.isEmpty else {
            return PerspectivePass(design: design, placement: placement, nominal: nominal, inverse: inverse, box: box, map: nil)
        }
        precondition(shading.region == box, "shading luminance is for another region")
        let map = ShadingMap(shading, options: options)
        return PerspectivePass(design: design, placement: placement, nominal: nominal, inverse: inverse, box: box, map: map)
    }

    private static func checkCorners(_ corners: [SIMD2<Double>]) throws(ImagingError) {
        guard corners.count == 4, corners.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw ImagingError(.invalidSize, "a print quad needs four finite corners")
        }
    }

    private static func boundingBox(_ corners: [SIMD2<Double>]) -> PixelRect {
        let xs = corners.map(\.x), ys = corners.map(\.y)
        let left = Int((xs.min() ?? 0).rounded(.down)), top = Int((ys.min() ?? 0).rounded(.down))
        let right = Int((xs.max() ?? 0).rounded(.up)), bottom = Int((ys.max() ?? 0).rounded(.up))
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }
}
