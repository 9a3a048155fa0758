import Imaging

/// Small synthetic images and pixel statistics shared by the tests.
enum TestImages {
    /// Fraction of pixels that differ between two same-size images.
    static func differingFraction(_ a: RGBAImage, _ b: RGBAImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        var differing = 0
        for i in stride(from: 0, to: a.pixels.count, by: 4)
        where a.pixels[i] != b.pixels[i] || a.pixels[i + 1] != b.pixels[i + 1] || a.pixels[i + 2] != b.pixels[i + 2] || a.pixels[i + 3] != b.pixels[i + 3] {
            differing += 1
        }
        return Double(differing) / Double(a.width * a.height)
    }

    /// Fraction of pixels whose alpha satisfies `predicate`.
    static func alphaFraction(_ image: RGBAImage, where predicate: (UInt8) -> Bool) -> Double {
        var count = 0
        for i in stride(from: 3, to: image.pixels.count, by: 4) where predicate(image.pixels[i]) { count += 1 }
        return Double(count) / Double(image.width * image.height)
    }

    /// FNV-1a of the bytes: a stable fingerprint for golden tests.
    static func fingerprint(_ image: RGBAImage) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in image.pixels {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Deterministic noise, for resampler tests that need every pixel to matter.
    static func noise(width: Int, height: Int, seed: UInt64 = 1) -> RGBAImage {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for i in pixels.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return RGBAImage(width: width, height: height, pixels: pixels)
    }
}
