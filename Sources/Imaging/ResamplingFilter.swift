/// The reconstruction kernel used by ``StreamingResizer`` and ``Resampler``.
public enum ResamplingFilter: Sendable, Hashable {
    /// Lanczos windowed sinc with 3 lobes: the sharpest common choice and libvips'
    /// default for `vips_resize`. Its negative lobes can ring slightly at hard edges;
    /// results are clamped to 0…255.
    case lanczos3
    /// Mitchell–Netravali cubic (B = C = ⅓): softer, almost no ringing, and cheaper
    /// (support 2 instead of 3).
    case mitchell

    /// Half-width of the kernel in source pixels at scale 1.
    var support: Double {
        switch self {
        case .lanczos3: 3
        case .mitchell: 2
        }
    }

    /// The kernel's value at distance `x` (in source pixels at scale 1).
    func weight(_ x: Double) -> Double {
        let x = abs(x)
        switch self {
        case .lanczos3:
            if x < 1e-9 { return 1 }
            if x >= 3 { return 0 }
            let pix = PortableMath.pi * x
            return 3 * PortableMath.sin(pix) * PortableMath.sin(pix / 3) / (pix * pix)
        case .mitchell:
            let b = 1.0 / 3, c = 1.0 / 3
            if x < 1 {
                return ((12 - 9 * b - 6 * c) * x * x * x + (-18 + 12 * b + 6 * c) * x * x + (6 - 2 * b)) / 6
            }
            if x < 2 {
                return ((-b - 6 * c) * x * x * x + (6 * b + 30 * c) * x * x + (-12 * b - 48 * c) * x + (8 * b + 24 * c)) / 6
            }
            return 0
        }
    }
}
