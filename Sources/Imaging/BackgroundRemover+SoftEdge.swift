extension BackgroundRemover {
    /// Gives subject pixels that touch the fill an alpha and removes the background's
    /// share from their colour.
    ///
    /// An anti-aliased edge pixel is `α × subject + (1 − α) × background`. The subject
    /// colour is estimated by the neighbour furthest from the background (the solid side
    /// of the edge), so `α ≈ distance(pixel, bg) / distance(subject, bg)`. All estimates
    /// read the unmodified pixels and are applied afterwards, so the order of the scan
    /// does not matter.
    func softenEdge(_ pixels: UnsafeMutableBufferPointer<UInt8>, filled: UnsafeBufferPointer<UInt8>, width: Int, height: Int, background: RGBA) {
        let bg = (r: Double(background.r), g: Double(background.g), b: Double(background.b))
        func distance(_ index: Int) -> Double {
            let p = index * 4
            return ColorDistance.levels(Int(pixels[p]), Int(pixels[p + 1]), Int(pixels[p + 2]),
                                        Int(background.r), Int(background.g), Int(background.b))
        }
        var updates: [(index: Int, pixel: RGBA)] = []
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                guard filled[index] == 0 else { continue }
                let touches = (x > 0 && filled[index - 1] == 1) || (x < width - 1 && filled[index + 1] == 1)
                    || (y > 0 && filled[index - width] == 1) || (y < height - 1 && filled[index + width] == 1)
                guard touches else { continue }
                let own = distance(index)
                var subject = own
                for ny in max(y - 1, 0)...min(y + 1, height - 1) {
                    for nx in max(x - 1, 0)...min(x + 1, width - 1) where filled[ny * width + nx] == 0 {
                        subject = max(subject, distance(ny * width + nx))
                    }
                }
                let p = index * 4
                guard let pixel = Self.softened(pixels[p], pixels[p + 1], pixels[p + 2], pixels[p + 3],
                                                own: own, subject: subject, background: bg) else { continue }
                updates.append((index, pixel))
            }
        }
        for (index, pixel) in updates {
            let p = index * 4
            pixels[p] = pixel.r; pixels[p + 1] = pixel.g; pixels[p + 2] = pixel.b; pixels[p + 3] = pixel.a
        }
    }

    /// The edge pixel `(r, g, b, a)` with the background's share removed: `own` is its
    /// distance from the background, `subject` the largest of it and its unfilled
    /// neighbours'. `nil` when it needs no change (coverage 1).
    @inline(__always)
    static func softened(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8, own: Double, subject: Double,
                         background bg: (r: Double, g: Double, b: Double)) -> RGBA? {
        let coverage = subject > 0 ? min(own / subject, 1) : 1
        guard coverage < 1 else { return nil }
        func unblend(_ observed: UInt8, _ back: Double) -> UInt8 {
            let value = back + (Double(observed) - back) / max(coverage, 1e-6)
            return UInt8(min(max(value, 0), 255).rounded())
        }
        return RGBA(unblend(r, bg.r), unblend(g, bg.g), unblend(b, bg.b), UInt8((Double(a) * coverage).rounded()))
    }
}
