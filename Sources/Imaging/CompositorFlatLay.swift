/// Composites a design into an axis-aligned print area: fitted with its aspect ratio kept,
/// centred, and multiplied by the garment's shading so folds and knit show through.
///
/// For best quality and speed hand it a design already shrunk to
/// ``PixelRect/fitting(width:height:)`` of the area (``CompositeDownscaler`` does that
/// while decoding); any other size is resampled bilinearly, which is right for enlarging
/// a small design but aliases when shrinking a large one.
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
        let size = designSize ?? (design.width, design.height)
        let placement = area.fitting(width: size.width, height: size.height)
        let visible = placement.intersection(canvas.bounds)
        guard !visible.isEmpty else { return visible }
        precondition(shading.map { $0.width == canvas.width && $0.height == canvas.height } ?? true,
                     "shading source size differs")
        // One expression, so the temporary copy of `canvas` is released before drawing
        // (holding it would make the first write copy the whole template).
        let map = ShadingMap(source: shading ?? canvas, region: area.intersection(canvas.bounds), options: options)
        let exact = design.width == placement.width && design.height == placement.height
        let scaleX = Float(design.width) / Float(placement.width)
        let scaleY = Float(design.height) / Float(placement.height)
        let channels = canvas.channels, canvasWidth = canvas.width
        design.pixels.withUnsafeBufferPointer { designPixels in
            canvas.pixels.withUnsafeMutableBufferPointer { pixels in
                for y in visible.y..<visible.maxY {
                    let row = y - placement.y
                    for x in visible.x..<visible.maxX {
                        let column = x - placement.x
                        let ink: SIMD4<Float>
                        if exact {
                            ink = CompositeBlend.texel(designPixels, index: (row * design.width + column) * 4)
                        } else {
                            ink = CompositeBlend.sample(designPixels, width: design.width, height: design.height,
                                                        x: (Float(column) + 0.5) * scaleX, y: (Float(row) + 0.5) * scaleY)
                        }
                        CompositeBlend.blend(ink, factor: map.factor(x: x, y: y), into: pixels,
                                             at: (y * canvasWidth + x) * channels, channels: channels)
                    }
                }
            }
        }
        return visible
    }
}
