/// The offline, built-in design provider: real, deterministic artwork from a prompt.
///
/// Everything is derived from a stable hash of (prompt, feedback, seed, candidate), a
/// portable PRNG and IEEE-exact arithmetic (no libm, no `Hasher`), so the same inputs
/// give byte-identical pixels in every process and on every machine, while a different
/// prompt, seed, candidate or feedback gives a different composition and palette.
///
/// The art is a badge-style emblem: a silhouette (disc, polygon or rounded square) with
/// a gradient fill, a sun, wave bands and optional stripes clipped inside it, an outline,
/// a star emblem in the middle, an optional detached halo ring and a ring of small
/// satellites. The subject is solid and stays inside a margin; the rest of the canvas
/// is transparent, so the DTF step has real edges to clean and trim.
public enum ArtGenerator {
    /// What is behind the subject.
    public enum Background: Sendable, Hashable {
        /// Fully transparent (the default): "a design with transparent regions".
        case transparent
        /// A flat, light, opaque colour from the palette — like many image APIs return —
        /// for exercising background removal end to end.
        case flat
    }

    /// A `size × size` artwork. `candidate` picks one of several designs for the same
    /// prompt; `feedback` (from "regenerate with feedback") changes the design and may
    /// name colours ("make it blue"), which take precedence over the prompt's.
    public static func generate(
        prompt: String,
        seed: UInt64,
        candidate: Int,
        size: Int = 1024,
        feedback: String? = nil,
        background: Background = .transparent
    ) -> RGBAImage {
        precondition(size >= 16, "art needs at least 16×16 pixels")
        var random = ArtRandom(seed: ArtRandom.seed(prompt: prompt, feedback: feedback, seed: seed, candidate: candidate))
        let palette = ArtPalette(prompt: prompt, feedback: feedback, random: &random)
        var canvas = ArtCanvas(size: size)
        if background == .flat { canvas.fill(palette.paper) }

        let s = Double(size)
        let c = s / 2
        let radius = s * random.unit(0.28...0.34)
        let pi = PortableMath.pi

        // The silhouette everything else is clipped to.
        let silhouette: ArtShape
        switch random.int(0...2) {
        case 0:
            silhouette = .circle(x: c, y: c, radius: radius)
        case 1:
            silhouette = .star(x: c, y: c, points: [6, 8][random.int(0...1)], outer: radius * 1.05, inner: nil, rotation: random.unit(0...pi))
        default:
            silhouette = .roundedRect(x: c, y: c, halfWidth: radius * 0.92, halfHeight: radius * 0.92, corner: radius * random.unit(0.15...0.4))
        }
        canvas.draw(silhouette, .vertical(top: palette.light, bottom: palette.base, y0: c - radius, y1: c + radius))

        // Sun: a radial-gradient disc in the upper half.
        let sunX = c + radius * random.unit(-0.35...0.35)
        let sunY = c - radius * random.unit(0.05...0.35)
        let sunR = radius * random.unit(0.3...0.48)
        canvas.draw(.circle(x: sunX, y: sunY, radius: sunR),
                    .radial(inner: palette.light, outer: palette.accent, x: sunX, y: sunY, radius: sunR), clip: silhouette)

        if random.chance(0.5) {
            let angle = random.unit(0...pi)
            let period = s * random.unit(0.025...0.05)
            canvas.draw(.stripes(angle: angle, period: period, halfWidth: period * 0.22), .solid(palette.light),
                        clip: silhouette, opacity: random.unit(0.25...0.5))
        }

        // Wave bands rising from the bottom, darker towards the front.
        let frequency = random.unit(2...5) * 2 * pi / (2 * radius)
        var base = c + radius * random.unit(0.0...0.2)
        for colour in palette.bands {
            let wave = ArtShape.belowWave(base: base, amplitude: radius * random.unit(0.04...0.1), frequency: frequency * random.unit(0.8...1.25), phase: random.unit(0...(2 * pi)))
            canvas.draw(wave, .solid(colour), clip: silhouette)
            base += radius * random.unit(0.12...0.2)
        }

        // Outline: the silhouette's inner rim.
        let outline = s * random.unit(0.01...0.018)
        canvas.draw(.rim(silhouette, width: outline), .solid(palette.dark))

        // Central emblem: a star with a dark rim.
        let points = random.int(5...8)
        let starR = radius * random.unit(0.26...0.36)
        let rotation = -pi / 2 + random.unit(-0.2...0.2)
        let innerRatio = random.unit(0.42...0.55)
        canvas.draw(.star(x: c, y: c, points: points, outer: starR + outline, inner: starR * innerRatio + outline, rotation: rotation), .solid(palette.dark))
        canvas.draw(.star(x: c, y: c, points: points, outer: starR, inner: starR * innerRatio, rotation: rotation),
                    .radial(inner: palette.light, outer: palette.accent, x: c, y: c, radius: starR))

        // Detached halo ring: transparent gap between it and the silhouette.
        if random.chance(0.6) {
            canvas.draw(.ring(x: c, y: c, radius: radius * 1.12, halfWidth: s * random.unit(0.006...0.012)), .solid(palette.base))
        }

        // Satellites: small stars or dots on a circle around everything.
        let count = random.int(6...12)
        let orbit = radius * random.unit(1.22...1.3)
        let dot = s * random.unit(0.012...0.022)
        let offset = random.unit(0...(2 * pi))
        let starry = random.chance(0.5)
        for i in 0..<count {
            let angle = offset + 2 * pi * Double(i) / Double(count)
            let x = c + orbit * PortableMath.cos(angle), y = c + orbit * PortableMath.sin(angle)
            let shape: ArtShape = starry
                ? .star(x: x, y: y, points: 5, outer: dot * 1.6, inner: dot * 0.7, rotation: angle)
                : .circle(x: x, y: y, radius: dot)
            canvas.draw(shape, .solid(i % 2 == 0 ? palette.accent : palette.dark))
        }
        return canvas.image()
    }

}
