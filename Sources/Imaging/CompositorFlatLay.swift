/// Composites a design into an axis-aligned print area: fitted with its aspect ratio kept,
/// centred, and multiplied by the garment's shading so folds and knit show through.
///
/// For best quality and speed hand it a design already shrunk to
/// ``PixelRect/fitting(width:height:)`` of the area (``CompositeDownscaler`` does that
/// while decoding); any other size is resampled bilinearly, which is right for enlarging
/// a small design but aliases when shrinking a large one.
///
/// Two ways to use it: ``composite(_:into:on:shading:designSize:)`` on a template in
/// memory, or ``shadingRegion(for:canvasWidth:canvasHeight:)`` →
/// ``pass(_:into:canvasWidth:canvasHeight:shading:designSize:)`` on one that streams
/// past row by row. Both give the same pixels.
public struct FlatLayCompositor: Sendable {
    public var options: ShadingOptions

    public init(options: ShadingOptions = ShadingOptions()) {
        self.options = options
    }

    /// Draws `design` into `area` of `canvas`. Nothing outside `area` changes.
    ///
    /// - Parameters:
    ///   - shading: the shading source, the same size as `canvas`; `nil` uses the canvas's
    ///     own pixels (read before anything is drawn).
    ///   - designSize: the original design size the placement is computed from, when
    ///     `design` is a shrunk copy (so placement does not drift by rounding); defaults to
    ///     the size of `design`.
    /// - Returns: the rectangle the design was fitted into (clipped to the canvas).
    @discardableResult
    public func composite(
        _ design: RGBAImage, into area: PixelRect, on canvas: inout CompositeCanvas,
        shading: CompositeCanvas? = nil, designSize: (width: Int, height: Int)? = nil
    ) -> PixelRect {
        precondition(shading.map { $0.width == canvas.width && $0.height == canvas.height } ?? true,
                     "shading source size differs")
        let region = shadingRegion(for: area, canvasWidth: canvas.width, canvasHeight: canvas.height)
        let luminance = (shading ?? canvas).shadingLuminance(in: region)
        let pass = pass(design, into: area, canvasWidth: canvas.width, canvasHeight: canvas.height,
                        shading: consume luminance, designSize: designSize)
        canvas.apply(pass)
        return pass.visible
    }

    /// The template pixels whose luminance ``pass(_:into:canvasWidth:canvasHeight:shading:designSize:)``
    /// needs: the area, clipped to the template.
    public func shadingRegion(for area: PixelRect, canvasWidth: Int, canvasHeight: Int) -> PixelRect {
        area.intersection(PixelRect(x: 0, y: 0, width: canvasWidth, height: canvasHeight))
    }

    /// The pass that draws `design` into `area` of a `canvasWidth × canvasHeight` template.
    /// - Parameters:
    ///   - shading: the luminance of ``shadingRegion(for:canvasWidth:canvasHeight:)`` of
    ///     the shading source, complete; consumed (its storage becomes the shading map's).
    ///   - designSize: as for ``composite(_:into:on:shading:designSize:)``.
    public func pass(
        _ design: RGBAImage, into area: PixelRect, canvasWidth: Int, canvasHeight: Int,
        shading: consuming ShadingLuminance, designSize: (width: Int, height: Int)? = nil
    ) -> FlatLayPass {
        let size = designSize ?? (design.width, design.height)
        let placement = area.fitting(width: size.width, height: size.height)
        let visible = placement.intersection(PixelRect(x: 0, y: 0, width: canvasWidth, height: canvasHeight))
        guard !visible.isEmpty else { return FlatLayPass(design: design, placement: placement, visible: visible, map: nil) }
        precondition(shading.region == shadingRegion(for: area, canvasWidth: canvasWidth, canvasHeight: canvasHeight),
                     "shading luminance is for another region")
        // A flat print is not displaced by the fabric's relief: no offsets to compute or hold.
        var mapOptions = options
        mapOptions.displacement = 0
        let map = ShadingMap(shading, options: mapOptions)
        return FlatLayPass(design: design, placement: placement, visible: visible, map: map)
    }
}
