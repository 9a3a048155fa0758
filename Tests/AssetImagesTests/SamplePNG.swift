import PNG

/// A real RGBA PNG with a horizontal gradient and a transparent right edge, so a resampled
/// thumbnail can be checked for size, colour and kept transparency.
enum SamplePNG {
    static func make(width: Int, height: Int) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let index = (y * width + x) * 4
                pixels[index] = UInt8(x * 255 / max(width - 1, 1))
                pixels[index + 1] = UInt8(y * 255 / max(height - 1, 1))
                pixels[index + 2] = 128
                pixels[index + 3] = x >= width - width / 8 ? 0 : 255
            }
        }
        return try PNGEncoder.encode(Image(width: width, height: height, format: .rgba8, pixels: pixels))
    }
}
