#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RGBA8 → RGB8 onto a white background, composited in linear light as libpng's
/// simplified API does when ``PNGDecoder`` is asked for `.rgb8`, so row-decoded and
/// whole-decoded templates look the same. Opaque pixels are copied (identical); partly
/// transparent ones use exact float arithmetic where libpng uses 8-bit gamma tables, so
/// they can differ from its result by a few levels.
enum OntoWhite {
    /// sRGB-encoded level → linear light, 0…1.
    private static let linear: [Float] = (0..<256).map { level in
        let value = Float(level) / 255
        return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }

    static func flatten(_ rgba: UnsafeBufferPointer<UInt8>, into rgb: UnsafeMutableBufferPointer<UInt8>, pixels: Int) {
        for pixel in 0..<pixels {
            let source = pixel * 4, target = pixel * 3
            let alpha = rgba[source + 3]
            // Photos are opaque: the common case copies.
            if alpha == 255 {
                rgb[target] = rgba[source]
                rgb[target + 1] = rgba[source + 1]
                rgb[target + 2] = rgba[source + 2]
                continue
            }
            let coverage = Float(alpha) / 255
            for channel in 0..<3 {
                let mixed = linear[Int(rgba[source + channel])] * coverage + (1 - coverage)
                rgb[target + channel] = encode(mixed)
            }
        }
    }

    /// Linear light, 0…1 → sRGB-encoded level, rounded.
    private static func encode(_ value: Float) -> UInt8 {
        let clamped = min(max(value, 0), 1)
        let encoded = clamped <= 0.0031308 ? clamped * 12.92 : 1.055 * pow(clamped, 1 / 2.4) - 0.055
        return UInt8(min(max(encoded * 255 + 0.5, 0), 255))
    }
}
