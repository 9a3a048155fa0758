#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Imaging
import PNG

/// Deterministic inputs shaped like production ones: a print-resolution design (generated
/// art with a little sensor-like noise, so it compresses like an upscaled AI image rather
/// than like a flat drawing) and a 2000×2000 garment photo stand-in (folds and knit noise).
enum BenchInputs {
    static func generate(into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try write(template(size: 2000), to: directory + "/template.png")
        try write(design(width: 4500, height: 5400), to: directory + "/design-4500x5400.png")
        try write(design(width: 1024, height: 1024), to: directory + "/design-1024.png")
    }

    private static func write(_ image: Image, to path: String) throws {
        // libpng's defaults (zlib 6, adaptive filters): how designs and photos arrive.
        try Data(PNGEncoder.encode(image)).write(to: URL(fileURLWithPath: path))
    }

    private static func design(width: Int, height: Int) -> Image {
        let side = min(width, height)
        let art = ArtGenerator.generate(prompt: "a lighthouse at dusk, bold colours", seed: 7, candidate: 0, size: side)
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        let (left, top) = ((width - side) / 2, (height - side) / 2)
        var noise = UInt64(0x9E37_79B9_7F4A_7C15)
        for y in 0..<side {
            for x in 0..<side {
                let source = (y * side + x) * 4
                let target = ((y + top) * width + x + left) * 4
                let alpha = art.pixels[source + 3]
                guard alpha > 0 else { continue }
                for channel in 0..<3 {
                    noise = noise &* 6364136223846793005 &+ 1442695040888963407
                    let jitter = Int(noise >> 61) - 3
                    pixels[target + channel] = UInt8(clamping: Int(art.pixels[source + channel]) + jitter)
                }
                pixels[target + 3] = alpha
            }
        }
        return Image(width: width, height: height, format: .rgba8, pixels: pixels)
    }

    private static func template(size: Int) -> Image {
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        var noise = UInt64(0x2545_F491_4F6C_DD1D)
        let centre = Double(size) / 2
        for y in 0..<size {
            for x in 0..<size {
                let dx = (Double(x) - centre) / centre, dy = (Double(y) - centre) / centre
                let onGarment = abs(dx) < 0.55 + 0.25 * max(0, -dy - 0.4) && abs(dy) < 0.85
                let fold = 0.08 * sin(Double(x) * 0.013 + Double(y) * 0.004) + 0.05 * sin(Double(y) * 0.021)
                let light = (onGarment ? 0.82 : 0.95) - 0.12 * dy + fold
                noise = noise &* 6364136223846793005 &+ 1442695040888963407
                let knit = Double(Int(noise >> 60) - 8) / 255
                let base: (Double, Double, Double) = onGarment ? (0.16, 0.20, 0.42) : (0.92, 0.91, 0.89)
                let offset = (y * size + x) * 3
                pixels[offset] = UInt8(clamping: Int(255 * min(1, max(0, base.0 * light + knit))))
                pixels[offset + 1] = UInt8(clamping: Int(255 * min(1, max(0, base.1 * light + knit))))
                pixels[offset + 2] = UInt8(clamping: Int(255 * min(1, max(0, base.2 * light + knit))))
            }
        }
        return Image(width: size, height: size, format: .rgb8, pixels: pixels)
    }
}
