import PNG

/// Deterministic test pictures: noise (defeats compression) over gradients (rewards filtering).
enum Samples {
    static func image(width: Int, height: Int, format: PixelFormat, dpi: Int? = nil, seed: UInt64 = 1) -> Image {
        var generator = SplitMix64(seed: seed)
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * format.bytesPerPixel)
        for y in 0..<height {
            for x in 0..<width {
                let noise = UInt8(truncatingIfNeeded: generator.next() & 0x0F)
                pixels += [UInt8(truncatingIfNeeded: x * 3) &+ noise, UInt8(truncatingIfNeeded: y * 5), noise &* 16]
                if format == .rgba8 { pixels.append(UInt8(truncatingIfNeeded: (x + y) * 7)) }
            }
        }
        return Image(width: width, height: height, format: format, pixels: pixels, dpi: dpi)
    }

    /// `count` pseudo-random bytes.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
