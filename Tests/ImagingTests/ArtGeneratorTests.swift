import Imaging
import Testing

@Suite("Built-in art generator")
struct ArtGeneratorTests {
    @Test("the same inputs give identical bytes")
    func deterministic() {
        let a = ArtGenerator.generate(prompt: "sunset over the ocean", seed: 42, candidate: 1, size: 256)
        let b = ArtGenerator.generate(prompt: "sunset over the ocean", seed: 42, candidate: 1, size: 256)
        #expect(a == b)
    }

    /// Pins the bytes, so a change in output across processes, machines or toolchains
    /// (or an accidental algorithm change) is caught. Changing the art on purpose means
    /// bumping the version tag in `ArtRandom.seed` and updating these values.
    @Test("output is pinned across processes and machines")
    func golden() {
        let image = ArtGenerator.generate(prompt: "a red fox in a forest", seed: 7, candidate: 0, size: 96)
        #expect(TestImages.fingerprint(image) == ArtGeneratorTests.goldenFingerprint)
    }

    static let goldenFingerprint: UInt64 = 6_465_480_251_504_656_472

    @Test("different prompts, candidates, seeds and feedback give visibly different art")
    func variation() {
        let base = ArtGenerator.generate(prompt: "sunset over the ocean", seed: 42, candidate: 0, size: 256)
        let variants = [
            ArtGenerator.generate(prompt: "a forest owl", seed: 42, candidate: 0, size: 256),
            ArtGenerator.generate(prompt: "sunset over the ocean", seed: 42, candidate: 1, size: 256),
            ArtGenerator.generate(prompt: "sunset over the ocean", seed: 43, candidate: 0, size: 256),
            ArtGenerator.generate(prompt: "sunset over the ocean", seed: 42, candidate: 0, size: 256, feedback: "more purple"),
        ]
        for variant in variants {
            #expect(TestImages.differingFraction(base, variant) > 0.2)
        }
    }

    @Test("art has transparent surroundings and a solid subject", arguments: 0..<6)
    func transparentAndOpaque(candidate: Int) {
        let image = ArtGenerator.generate(prompt: "neon galaxy cat", seed: 9, candidate: candidate, size: 256)
        #expect(TestImages.alphaFraction(image) { $0 == 0 } > 0.3)
        #expect(TestImages.alphaFraction(image) { $0 == 255 } > 0.2)
        #expect(image[0, 0].a == 0 && image[255, 255].a == 0)
        #expect(image[128, 128].a == 255)
    }

    @Test("colour words steer the palette")
    func colourWords() {
        func averageColour(_ prompt: String) -> (r: Double, g: Double, b: Double) {
            let image = ArtGenerator.generate(prompt: prompt, seed: 1, candidate: 0, size: 128)
            var sum = (r: 0.0, g: 0.0, b: 0.0, n: 0.0)
            for y in 0..<128 { for x in 0..<128 where image[x, y].a == 255 {
                let p = image[x, y]
                sum = (sum.r + Double(p.r), sum.g + Double(p.g), sum.b + Double(p.b), sum.n + 1)
            } }
            return (sum.r / sum.n, sum.g / sum.n, sum.b / sum.n)
        }
        let forest = averageColour("deep green forest")
        #expect(forest.g > forest.r && forest.g > forest.b)
        let ocean = averageColour("blue ocean")
        #expect(ocean.b > ocean.r)
    }

    @Test("the flat variant paints an opaque uniform background")
    func flatBackground() {
        let image = ArtGenerator.generate(prompt: "forest", seed: 1, candidate: 0, size: 128, background: .flat)
        #expect(TestImages.alphaFraction(image) { $0 == 255 } == 1)
        #expect(image[0, 0] == image[127, 127])
    }
}
