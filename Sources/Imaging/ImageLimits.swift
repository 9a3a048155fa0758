/// Bounds on an image's size, checked against a header *before* an image-sized buffer
/// is allocated (DESIGN.md §6: provider and template images are untrusted).
///
/// The defaults admit the largest design we handle (4500×5400, 24.3 MP) with room to
/// spare, while keeping one RGBA8 buffer under 200 MB.
public struct ImageLimits: Sendable, Hashable {
    public var maxWidth: Int
    public var maxHeight: Int
    /// Width × height.
    public var maxPixels: Int

    public init(maxWidth: Int = 10_000, maxHeight: Int = 10_000, maxPixels: Int = 50_000_000) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
    }

    /// The bound that a size can exceed.
    public enum Limit: String, Sendable, Hashable, CustomStringConvertible {
        case width
        case height
        case pixelCount = "pixel count"

        public var description: String { rawValue }
    }

    /// Which bound was exceeded and by how much.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        public var limit: Limit
        public var actual: Int
        public var maximum: Int
        /// `actual - maximum`, always positive.
        public var excess: Int { actual - maximum }

        public var description: String {
            "\(limit) \(actual) exceeds the limit of \(maximum) by \(excess)"
        }
    }

    /// The first bound (width, then height, then pixel count) that `width × height`
    /// exceeds, or `nil` when it fits. Overflow-safe for any `Int` inputs.
    public func violation(width: Int, height: Int) -> Violation? {
        if width > maxWidth { return Violation(limit: .width, actual: width, maximum: maxWidth) }
        if height > maxHeight { return Violation(limit: .height, actual: height, maximum: maxHeight) }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow { return Violation(limit: .pixelCount, actual: .max, maximum: maxPixels) }
        if pixels > maxPixels { return Violation(limit: .pixelCount, actual: pixels, maximum: maxPixels) }
        return nil
    }

    /// Throws unless `width × height` is a positive size within every bound.
    /// - Throws: ``ImagingError`` `.invalidSize`, or `.tooLarge` whose message names the
    ///   exceeded limit and the excess (e.g. "width 30000 exceeds the limit of 10000 by 20000").
    public func check(width: Int, height: Int) throws(ImagingError) {
        guard width > 0, height > 0 else {
            throw ImagingError(.invalidSize, "image size \(width)×\(height) is not positive")
        }
        if let violation = violation(width: width, height: height) {
            throw ImagingError(.tooLarge, "image \(width)×\(height): \(violation)", violation: violation)
        }
    }
}
