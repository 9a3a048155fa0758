/// Alpha cleanup for DTF film printing.
///
/// DTF prints a white underbase wherever alpha is non-zero, so faint pixels — halos
/// left by anti-aliasing, background removal or resampling — print as visible grey
/// specks and fringes. The rule chosen here:
///
/// - alpha below `threshold` → fully transparent (colour zeroed too, which also helps
///   PNG compression);
/// - alpha at or above `opaqueAbove` (when set) → fully opaque, so near-solid areas
///   get a full-density underbase instead of a slightly thin one;
/// - everything in between is kept as is.
///
/// Keeping the mid range (instead of hard-thresholding every edge at 50%) keeps the one
/// pixel of anti-aliasing that stops curved edges printing as jaggies at 300 DPI.
public struct AlphaCleanup: Sendable, Hashable {
    /// Alpha values below this become 0.
    public var threshold: UInt8
    /// Alpha values at or above this become 255; `nil` leaves them alone.
    public var opaqueAbove: UInt8?

    public init(threshold: UInt8 = 32, opaqueAbove: UInt8? = 224) {
        self.threshold = threshold
        self.opaqueAbove = opaqueAbove
    }

    /// Applies the rule to every pixel in place. Returns the number of pixels changed.
    @discardableResult
    public func apply(to image: inout RGBAImage) -> Int {
        let table = lookupTable
        return table.withUnsafeBufferPointer { map in
            image.pixels.withUnsafeMutableBufferPointer { Self.apply(map, to: $0) }
        }
    }

    /// The new alpha for every old one: a lookup table makes the pixel loop branch-light.
    var lookupTable: [UInt8] {
        (0..<256).map { a in
            if a < Int(threshold) { return 0 }
            if let opaqueAbove, a >= Int(opaqueAbove) { return 255 }
            return UInt8(a)
        }
    }

    /// Applies ``lookupTable`` (`map`) to RGBA8 `pixels` in place (a whole image or one
    /// row). Returns the number of pixels changed.
    @discardableResult
    static func apply(_ map: UnsafeBufferPointer<UInt8>, to pixels: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var changed = 0
        for index in stride(from: 0, to: pixels.count, by: 4) {
            let old = pixels[index + 3]
            let new = map[Int(old)]
            if new == old { continue }
            changed += 1
            pixels[index + 3] = new
            if new == 0 {
                pixels[index] = 0
                pixels[index + 1] = 0
                pixels[index + 2] = 0
            }
        }
        return changed
    }

    /// A cleaned copy of `image`.
    public func applied(to image: RGBAImage) -> RGBAImage {
        var copy = image
        apply(to: &copy)
        return copy
    }
}
