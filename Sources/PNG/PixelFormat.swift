/// How pixels are laid out in memory: 8 bits per channel, sRGB, alpha not premultiplied.
public enum PixelFormat: Sendable, Hashable {
    /// Red, green, blue.
    case rgb8
    /// Red, green, blue, alpha.
    case rgba8

    /// Bytes per pixel: 3 or 4.
    public var bytesPerPixel: Int {
        switch self {
        case .rgb8: 3
        case .rgba8: 4
        }
    }
}
