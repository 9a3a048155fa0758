/// The garment's shading over a region of a template, as a per-pixel multiplier for ink.
///
/// Luminance is split into a smooth part (folds, lighting: a box blur) and a texture
/// residual. The smooth part is normalised by its own 80th percentile in the region, so
/// flat, lit fabric is 1.0 whatever the garment's colour: a white print on a black
/// shirt stays white where the cloth is flat and darkens only in folds, and a dark print
/// on a white shirt still shows every fold. Raw luminance would instead turn any print
/// on a black shirt black.
public struct ShadingMap: Sendable {
    /// The template pixels this map covers.
    public let region: PixelRect
    /// `region.width * region.height` ink multipliers, about 0.3…1.25.
    public private(set) var factors: [Float]
    /// Per-pixel displacement in template pixels (x then y), pointing down the relief's
    /// slope and scaled so the largest is ``ShadingOptions/displacement``. Empty when
    /// there is none (displacement off, or flat fabric): every offset is then zero.
    public private(set) var offsets: [SIMD2<Float>]

    /// - Parameters:
    ///   - source: the shading source (the template itself, or a separate shading image of
    ///     the same size).
    ///   - region: clipped to `source`; must not be empty after clipping.
    public init(source: CompositeCanvas, region requested: PixelRect, options: ShadingOptions = ShadingOptions()) {
        let region = requested.intersection(source.bounds)
        precondition(!region.isEmpty, "shading region lies outside the source")
        self.init(source.shadingLuminance(in: region), options: options)
    }

    /// The map of a region whose luminance was collected row by row.
    ///
    /// Working memory is two floats per region pixel (three, plus two for the offsets,
    /// while displacement is computed); the map keeps one (three with offsets).
    /// Pass the luminance with `consume` when it is not needed afterwards: its values
    /// then become the factors without a copy.
    /// - Precondition: `luminance` is complete and its region is not empty.
    public init(_ luminance: consuming ShadingLuminance, options: ShadingOptions = ShadingOptions()) {
        precondition(!luminance.region.isEmpty && luminance.isComplete, "the shading luminance is incomplete")
        let region = luminance.region
        self.region = region
        let (width, height) = (region.width, region.height)
        let radius = max(2, Int(Double(min(width, height)) * options.shadingRadius))
        // Each factor needs only the luminance at its own index, so they are computed in
        // place of the luminance; `smooth` is the one working copy.
        var factors = luminance.takeValues()
        var smooth = factors
        // Two box passes approximate a tent filter: smooth enough, linear time.
        for _ in 0..<2 {
            Self.boxBlur(&smooth, width: width, height: height, radius: radius)
        }
        let reference = max(0.02, Self.percentile(smooth, 0.8))
        // Texture on dark cloth is a small absolute swing; dividing it by a tiny reference
        // would turn grain into snow, so its normaliser has a floor.
        let textureReference = max(reference, 0.2)
        let shadingWeight = Float(options.shading), textureWeight = Float(options.texture)
        for index in factors.indices {
            let low = min(max(smooth[index] / reference, 0.3), 1.15)
            let detail = min(max((factors[index] - smooth[index]) / textureReference, -0.25), 0.25)
            factors[index] = min(max(1 + shadingWeight * (low - 1) + textureWeight * detail, 0.2), 1.25)
        }
        self.factors = factors
        offsets = Self.offsets(smooth: smooth, width: width, height: height, reference: reference,
                               maximum: Float(options.displacement))
    }

    /// The multiplier at template pixel (x, y); 1 outside the region.
    public func factor(x: Int, y: Int) -> Float {
        let column = x - region.x, row = y - region.y
        guard column >= 0, row >= 0, column < region.width, row < region.height else { return 1 }
        return factors[row * region.width + column]
    }

    /// The displacement at template pixel (x, y); zero outside the region.
    public func offset(x: Int, y: Int) -> SIMD2<Float> {
        let column = x - region.x, row = y - region.y
        guard !offsets.isEmpty, column >= 0, row >= 0, column < region.width, row < region.height else { return .zero }
        return offsets[row * region.width + column]
    }

    private static func offsets(smooth: [Float], width: Int, height: Int, reference: Float, maximum: Float) -> [SIMD2<Float>] {
        guard maximum > 0, width > 2, height > 2 else { return [] }
        var gradients = [SIMD2<Float>](repeating: .zero, count: width * height)
        var largest: Float = 0
        for row in 0..<height {
            let up = max(row - 1, 0), down = min(row + 1, height - 1)
            for column in 0..<width {
                let left = max(column - 1, 0), right = min(column + 1, width - 1)
                let gx = (smooth[row * width + right] - smooth[row * width + left]) / reference
                let gy = (smooth[down * width + column] - smooth[up * width + column]) / reference
                let gradient = SIMD2(gx, gy)
                gradients[row * width + column] = gradient
                largest = max(largest, (gradient * gradient).sum())
            }
        }
        guard largest > 1e-12 else { return [] }
        // Print on a ridge is pushed off the crest, as ink on a fold looks; sampling "up"
        // the slope gives that look.
        let scale = maximum / largest.squareRoot()
        for index in gradients.indices { gradients[index] *= scale }
        return gradients
    }

    /// In-place box blur with clamped edges, rows then columns; O(1) per pixel.
    static func boxBlur(_ values: inout [Float], width: Int, height: Int, radius: Int) {
        var line = [Float](repeating: 0, count: max(width, height))
        let window = Float(2 * radius + 1)
        func blurLine(count: Int, read: (Int) -> Float, write: (Int, Float) -> Void) {
            for index in 0..<count { line[index] = read(index) }
            var sum: Float = 0
            for offset in -radius...radius { sum += line[min(max(offset, 0), count - 1)] }
            for index in 0..<count {
                write(index, sum / window)
                sum += line[min(index + radius + 1, count - 1)] - line[max(index - radius, 0)]
            }
        }
        for row in 0..<height {
            blurLine(count: width, read: { values[row * width + $0] }, write: { values[row * width + $0] = $1 })
        }
        for column in 0..<width {
            blurLine(count: height, read: { values[$0 * width + column] }, write: { values[$0 * width + column] = $1 })
        }
    }

    /// The `fraction` quantile (nearest rank) of `values`, via a 1024-bin histogram of 0…1.
    static func percentile(_ values: [Float], _ fraction: Double) -> Float {
        var histogram = [Int](repeating: 0, count: 1024)
        for value in values {
            histogram[min(max(Int(value * 1023), 0), 1023)] += 1
        }
        let target = Int(Double(values.count) * fraction)
        var seen = 0
        for (bin, count) in histogram.enumerated() {
            seen += count
            if seen > target { return Float(bin) / 1023 }
        }
        return 1
    }
}
