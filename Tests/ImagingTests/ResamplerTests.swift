import Foundation
import Imaging
import Testing

@Suite("Resampler")
struct ResamplerTests {
    @Test("a flat colour stays exactly that colour (no ringing on flat areas)", arguments: [
        (37, 23, 120, 80), (200, 150, 61, 47), (64, 64, 64, 200), (10, 90, 33, 7),
    ])
    func flatColour(inW: Int, inH: Int, outW: Int, outH: Int) {
        for filter in [ResamplingFilter.lanczos3, .mitchell] {
            for colour in [RGBA(200, 30, 90, 255), RGBA(12, 250, 128, 77)] {
                let image = RGBAImage(width: inW, height: inH, fill: colour)
                let out = Resampler.resize(image, width: outW, height: outH, filter: filter)
                #expect(out.width == outW && out.height == outH)
                #expect(out == RGBAImage(width: outW, height: outH, fill: colour))
            }
        }
    }

    @Test("a transparent/opaque edge gets no dark fringe (premultiplied filtering)")
    func noDarkFringe() {
        // Left half transparent *black*, right half opaque white: straight-alpha filtering
        // would blend the black into the edge.
        var image = RGBAImage(width: 40, height: 8, fill: RGBA(255, 255, 255, 255))
        for y in 0..<8 { for x in 0..<20 { image[x, y] = RGBA(0, 0, 0, 0) } }
        for (w, h) in [(17, 5), (131, 19)] {
            let out = Resampler.resize(image, width: w, height: h)
            var partial = 0
            for y in 0..<h { for x in 0..<w where out[x, y].a > 0 {
                let p = out[x, y]
                #expect(p.r == 255 && p.g == 255 && p.b == 255, "pixel (\(x), \(y)) = \(p)")
                if p.a < 255 { partial += 1 }
            } }
            #expect(partial > 0, "the edge should be anti-aliased")
        }
    }

    @Test("streaming row by row gives the same bytes as the whole-image resize")
    func streamingMatchesWhole() {
        let image = TestImages.noise(width: 53, height: 71)
        for (w, h) in [(120, 160), (31, 29), (53, 140)] {
            let expected = Resampler.resize(image, width: w, height: h)
            let resizer = StreamingResizer(inputWidth: 53, inputHeight: 71, outputWidth: w, outputHeight: h)
            var rows: [Int] = []
            var pixels: [UInt8] = []
            for y in 0..<71 {
                let row = Array(image.pixels[(y * 53 * 4)..<((y + 1) * 53 * 4)])
                resizer.push(row: row) { outY, out in
                    rows.append(outY)
                    pixels.append(contentsOf: out)
                }
            }
            #expect(rows == Array(0..<h))
            #expect(resizer.isFinished)
            #expect(pixels == expected.pixels)
        }
    }

    @Test("the row ring gives the same result as a straightforward full-buffer reference")
    func matchesReference() {
        let image = TestImages.noise(width: 45, height: 38, seed: 5)
        for (w, h) in [(100, 90), (20, 13), (45, 77)] {
            let out = Resampler.resize(image, width: w, height: h, filter: .mitchell)
            let reference = ReferenceResampler.resize(image, width: w, height: h)
            var worst = 0
            for i in out.pixels.indices { worst = max(worst, abs(Int(out.pixels[i]) - Int(reference.pixels[i]))) }
            #expect(worst <= 1)
        }
    }

    /// The loops run every window to the same even tap count (zero weights past its end,
    /// over a zero-padded row), sum taps in pairs and pack bytes with integer clamps: the
    /// result must stay within one level of plain `Double` Lanczos-3 filtering, for
    /// windows of odd and even length, at the right and bottom edges, when one axis keeps
    /// its size, and through partial alpha (the noise's alpha is random).
    @Test("Lanczos-3 stays within one level of a Double reference", arguments: [
        (45, 38, 36, 30), (45, 38, 20, 13), (45, 38, 100, 90), (45, 38, 45, 77), (45, 38, 17, 38), (45, 38, 11, 9),
    ])
    func lanczosMatchesReference(inW: Int, inH: Int, outW: Int, outH: Int) {
        let image = TestImages.noise(width: inW, height: inH, seed: 9)
        let out = Resampler.resize(image, width: outW, height: outH, filter: .lanczos3)
        let reference = ReferenceResampler.resize(image, width: outW, height: outH, kernel: ReferenceResampler.lanczos3)
        var worst = 0
        for i in out.pixels.indices { worst = max(worst, abs(Int(out.pixels[i]) - Int(reference.pixels[i]))) }
        #expect(worst <= 1)
    }

    @Test("the same size is returned unchanged")
    func identity() {
        let image = TestImages.noise(width: 9, height: 7)
        #expect(Resampler.resize(image, width: 9, height: 7) == image)
    }

    @Test("aspect fit: the limiting side equals its maximum", arguments: [
        (1024, 1024, 3600, 4800, 3600, 3600),
        (4500, 5400, 3600, 4800, 3600, 4320),
        (900, 2400, 3600, 4800, 1800, 4800),
        (10, 1, 3600, 4800, 3600, 360),
        (1, 100_000, 3600, 4800, 1, 4800),
    ])
    func fit(w: Int, h: Int, maxW: Int, maxH: Int, expectedW: Int, expectedH: Int) {
        let size = Resampler.fitSize(width: w, height: h, maxWidth: maxW, maxHeight: maxH)
        #expect(size.width == expectedW && size.height == expectedH)
    }
}

/// A plain premultiplied two-pass resize in `Double` holding the whole intermediate image
/// (Mitchell unless told otherwise): slow and obvious, for checking the streaming
/// ring-buffer bookkeeping and the vectorised arithmetic.
enum ReferenceResampler {
    static func kernel(_ x: Double) -> Double {
        let x = abs(x), b = 1.0 / 3, c = 1.0 / 3
        if x < 1 { return ((12 - 9 * b - 6 * c) * x * x * x + (-18 + 12 * b + 6 * c) * x * x + (6 - 2 * b)) / 6 }
        if x < 2 { return ((-b - 6 * c) * x * x * x + (6 * b + 30 * c) * x * x + (-12 * b - 48 * c) * x + (8 * b + 24 * c)) / 6 }
        return 0
    }

    static func lanczos3(_ x: Double) -> Double {
        let x = abs(x)
        if x < 1e-9 { return 1 }
        if x >= 3 { return 0 }
        let pix = Double.pi * x
        return 3 * sin(pix) * sin(pix / 3) / (pix * pix)
    }

    static func taps(_ source: Int, _ destination: Int, kernel: (Double) -> Double = kernel) -> [[(Int, Double)]] {
        let scale = Double(source) / Double(destination)
        let filterScale = max(scale, 1)
        return (0..<destination).map { i in
            if source == destination { return [(i, 1)] }
            let center = (Double(i) + 0.5) * scale
            var taps: [(Int, Double)] = []
            for j in 0..<source {
                let w = kernel((Double(j) + 0.5 - center) / filterScale)
                if w != 0 { taps.append((j, w)) }
            }
            let total = taps.reduce(0) { $0 + $1.1 }
            return taps.map { ($0.0, $0.1 / total) }
        }
    }

    static func resize(_ image: RGBAImage, width: Int, height: Int, kernel: (Double) -> Double = kernel) -> RGBAImage {
        let hTaps = taps(image.width, width, kernel: kernel), vTaps = taps(image.height, height, kernel: kernel)
        var premultiplied = [[Double]](repeating: [], count: image.width * image.height)
        for y in 0..<image.height { for x in 0..<image.width {
            let p = image[x, y]
            let a = Double(p.a)
            premultiplied[y * image.width + x] = [Double(p.r) * a / 255, Double(p.g) * a / 255, Double(p.b) * a / 255, a]
        } }
        var horizontal = [[Double]](repeating: [0, 0, 0, 0], count: width * image.height)
        for y in 0..<image.height { for x in 0..<width {
            var sum = [0.0, 0, 0, 0]
            for (j, w) in hTaps[x] { for c in 0..<4 { sum[c] += premultiplied[y * image.width + j][c] * w } }
            horizontal[y * width + x] = sum
        } }
        var out = RGBAImage(width: width, height: height)
        for y in 0..<height { for x in 0..<width {
            var sum = [0.0, 0, 0, 0]
            for (j, w) in vTaps[y] { for c in 0..<4 { sum[c] += horizontal[j * width + x][c] * w } }
            let a = min(max(sum[3], 0), 255)
            guard a >= 0.5 else { continue }
            func channel(_ v: Double) -> UInt8 { UInt8(min(max(v * 255 / a, 0), 255) + 0.5) }
            out[x, y] = RGBA(channel(sum[0]), channel(sum[1]), channel(sum[2]), UInt8(a + 0.5))
        } }
        return out
    }
}
