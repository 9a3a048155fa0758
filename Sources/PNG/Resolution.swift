/// pHYs stores pixels per metre; print work speaks dots per inch (1 in = 254/10000 m).
/// Integer arithmetic on purpose: exact, and no libm dependency for `round`.
enum Resolution {
    /// `nil` for 0 (no meaningful density).
    static func dpi(pixelsPerMeter: UInt32) -> Int? {
        pixelsPerMeter == 0 ? nil : (Int(pixelsPerMeter) * 254 + 5_000) / 10_000
    }

    /// `nil` when `dpi` is not positive or too large to be a plausible density.
    static func pixelsPerMeter(dpi: Int) -> UInt32? {
        guard dpi > 0, dpi <= 1_000_000 else { return nil }
        return UInt32((dpi * 10_000 + 127) / 254)
    }
}
