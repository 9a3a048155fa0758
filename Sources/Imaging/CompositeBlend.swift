/// The per-pixel work both compositors share: bilinear sampling of a design and
/// "ink over fabric" blending.
enum CompositeBlend {
    /// Premultiplied RGBA (0…255 colour × 0…1 alpha) of `design` at continuous pixel
    /// coordinates (pixel centres at i + 0.5); transparent outside the design, so edges
    /// fade over one pixel instead of stepping.
    @inline(__always)
    static func sample(_ design: UnsafeBufferPointer<UInt8>, width: Int, height: Int, x: Float, y: Float) -> SIMD4<Float> {
        let fx = x - 0.5, fy = y - 0.5
        let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
        let tx = fx - Float(x0), ty = fy - Float(y0)
        @inline(__always)
        func texel(_ column: Int, _ row: Int) -> SIMD4<Float> {
            guard column >= 0, row >= 0, column < width, row < height else { return .zero }
            let index = (row * width + column) * 4
            let alpha = Float(design[index + 3]) / 255
            return SIMD4(Float(design[index]) * alpha, Float(design[index + 1]) * alpha,
                         Float(design[index + 2]) * alpha, alpha)
        }
        let top = texel(x0, y0) * (1 - tx) + texel(x0 + 1, y0) * tx
        let bottom = texel(x0, y0 + 1) * (1 - tx) + texel(x0 + 1, y0 + 1) * tx
        return top * (1 - ty) + bottom * ty
    }

    /// Premultiplied RGBA of one design pixel (no interpolation).
    @inline(__always)
    static func texel(_ design: UnsafeBufferPointer<UInt8>, index: Int) -> SIMD4<Float> {
        let alpha = Float(design[index + 3]) / 255
        return SIMD4(Float(design[index]) * alpha, Float(design[index + 1]) * alpha, Float(design[index + 2]) * alpha, alpha)
    }

    /// Lays premultiplied `ink` over the canvas pixel at `index`, the ink's colour first
    /// multiplied by the fabric's shading `factor`.
    @inline(__always)
    static func blend(_ ink: SIMD4<Float>, factor: Float, into canvas: UnsafeMutableBufferPointer<UInt8>, at index: Int, channels: Int) {
        let coverage = ink.w
        guard coverage > 0.001 else { return }
        let remaining = 1 - coverage
        @inline(__always)
        func byte(_ value: Float) -> UInt8 { UInt8(min(max(value, 0), 255) + 0.5) }  // truncates 255.5 to 255
        if channels == 4 {
            let backdropAlpha = Float(canvas[index + 3]) / 255
            let alpha = coverage + backdropAlpha * remaining
            guard alpha > 0 else { return }
            let backdrop = backdropAlpha * remaining
            canvas[index] = byte((ink.x * factor + Float(canvas[index]) * backdrop) / alpha)
            canvas[index + 1] = byte((ink.y * factor + Float(canvas[index + 1]) * backdrop) / alpha)
            canvas[index + 2] = byte((ink.z * factor + Float(canvas[index + 2]) * backdrop) / alpha)
            canvas[index + 3] = byte(alpha * 255)
        } else {
            canvas[index] = byte(ink.x * factor + Float(canvas[index]) * remaining)
            canvas[index + 1] = byte(ink.y * factor + Float(canvas[index + 1]) * remaining)
            canvas[index + 2] = byte(ink.z * factor + Float(canvas[index + 2]) * remaining)
        }
    }
}
