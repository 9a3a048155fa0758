/// Bounds on what a decoder will allocate, checked against the header before any
/// image-sized allocation. Untrusted input must always be decoded with limits.
public struct DecodingLimits: Sendable, Hashable {
    public var maxWidth: Int
    public var maxHeight: Int
    /// Width × height. The default (100 megapixels) is 400 MB as RGBA8.
    public var maxPixels: Int

    public init(maxWidth: Int = 20_000, maxHeight: Int = 20_000, maxPixels: Int = 100_000_000) {
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
    }
}

extension DecodingLimits {
    /// Throws ``PNGError/Code/tooLarge`` naming the claimed size and these limits.
    func check(_ header: ImageHeader) throws(PNGError) {
        // Whatever the limits say, the RGBA8 buffer size must fit in an Int and the
        // simplified API's row stride in an Int32.
        let bytesPerPixel = PixelFormat.rgba8.bytesPerPixel
        let fitsStride = header.width <= Int(Int32.max) / bytesPerPixel
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        let fitsMemory = !overflow && pixels <= Int.max / bytesPerPixel
        guard header.width <= maxWidth, header.height <= maxHeight, fitsMemory, pixels <= maxPixels, fitsStride else {
            throw PNGError(tooLarge: header, limits: self)
        }
    }
}
