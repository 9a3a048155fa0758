/// A cheap perceptual-ish colour distance ("redmean" weighted RGB), scaled so that two
/// greys differing by `n` levels in every channel are `n` apart and the maximum is ≈255.
///
/// Plain RGB distance treats green differences like blue ones although the eye is far
/// more sensitive to green; redmean fixes most of that without a colour-space conversion.
/// Works on squared values in integers so the flood fill's inner loop has no sqrt.
struct ColorDistance: Sendable {
    /// The squared distance, scaled by 9 (so compare against `9 × tolerance²`).
    @inline(__always)
    static func squared(_ r1: Int, _ g1: Int, _ b1: Int, _ r2: Int, _ g2: Int, _ b2: Int) -> Int {
        let rMean = (r1 + r2) >> 1
        let dr = r1 - r2, dg = g1 - g2, db = b1 - b2
        return (((512 + rMean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rMean) * db * db) >> 8)
    }

    /// The distance in "levels" (0…≈255).
    static func levels(_ r1: Int, _ g1: Int, _ b1: Int, _ r2: Int, _ g2: Int, _ b2: Int) -> Double {
        Double(squared(r1, g1, b1, r2, g2, b2)).squareRoot() / 3
    }
}
