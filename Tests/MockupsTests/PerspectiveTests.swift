import Imaging
import Mockups
import Testing

@Suite("Perspective compositing")
struct PerspectiveTests {
    @Test("a homography maps the four correspondences and inverts")
    func homographyRoundTrip() throws {
        let square: [SIMD2<Double>] = [SIMD2(0, 0), SIMD2(100, 0), SIMD2(100, 100), SIMD2(0, 100)]
        let quad: [SIMD2<Double>] = [SIMD2(12, 7), SIMD2(130, 20), SIMD2(118, 140), SIMD2(5, 122)]
        let forward = try #require(Homography(from: square, to: quad))
        let inverse = try #require(forward.inverse)
        for (from, to) in zip(square, quad) {
            let mapped = forward.apply(from)
            #expect(abs(mapped.x - to.x) < 1e-9 && abs(mapped.y - to.y) < 1e-9)
            let back = inverse.apply(to)
            #expect(abs(back.x - from.x) < 1e-9 && abs(back.y - from.y) < 1e-9)
        }
        let collinear: [SIMD2<Double>] = [SIMD2(0, 0), SIMD2(1, 1), SIMD2(2, 2), SIMD2(0, 5)]
        #expect(Homography(from: square, to: collinear) == nil)
    }

    @Test("corner markers of the design land on the manifest's corners")
    func cornersLandWhereTheManifestSays() throws {
        let (template, bare) = try Fixtures.template("tshirt", "white", .mrImagine)
        guard case .quad(let corners) = template.entry.printArea else { Issue.record("mr_imagine area is a quad"); return }
        // A design with the quad's nominal aspect, so it fills the quad corner to corner,
        // transparent except for four 4×4 markers in its corners.
        let nominal = PerspectiveCompositor.nominalSize(of: corners)
        var design = RGBAImage(width: nominal.width * 2, height: nominal.height * 2)
        let markers = [RGBA(255, 0, 0), RGBA(0, 200, 0), RGBA(0, 0, 255), RGBA(255, 220, 0)]
        let size = 8  // 4 px after the 2× shrink
        let origins = [(0, 0), (design.width - size, 0), (design.width - size, design.height - size), (0, design.height - size)]
        for (marker, origin) in zip(markers, origins) {
            for y in origin.1..<origin.1 + size {
                for x in origin.0..<origin.0 + size { design[x, y] = marker }
            }
        }
        var canvas = bare
        try MockupRenderer().composite(design: try Fixtures.png(design), onto: &canvas, shading: nil,
                                       printArea: template.entry.printArea)
        let box = template.entry.printArea.boundingBox
        let classify: [(RGBA) -> Bool] = [
            { $0.r > 150 && $0.g < 110 && $0.b < 110 },
            { $0.g > 100 && $0.r < 110 && $0.b < 110 },
            { $0.b > 150 && $0.r < 110 && $0.g < 110 },
            { $0.r > 150 && $0.g > 130 && $0.b < 100 },
        ]
        for (index, isMarker) in classify.enumerated() {
            var sum = SIMD2<Double>(0, 0), count = 0.0
            for y in max(0, box.y - 4)..<min(canvas.height, box.maxY + 4) {
                for x in max(0, box.x - 4)..<min(canvas.width, box.maxX + 4) {
                    let i = (y * canvas.width + x) * 3
                    if isMarker(RGBA(canvas.pixels[i], canvas.pixels[i + 1], canvas.pixels[i + 2])) {
                        sum += SIMD2(Double(x) + 0.5, Double(y) + 0.5)
                        count += 1
                    }
                }
            }
            #expect(count > 3, "marker \(index) not found")
            guard count > 0 else { continue }
            let centroid = sum / count
            let distance = ((centroid - corners[index]) * (centroid - corners[index])).sum().squareRoot()
            #expect(distance < 5, "marker \(index) at \(centroid), manifest corner \(corners[index])")
        }
    }

    @Test("nothing outside the quad changes, even with displacement")
    func staysInsideTheQuad() throws {
        let (template, bare) = try Fixtures.template("hoodie", "red", .mrImagine)
        var canvas = bare
        try MockupRenderer().composite(design: try Fixtures.solid(900, 900, RGBA(255, 255, 255)), onto: &canvas,
                                       shading: nil, printArea: template.entry.printArea)
        guard case .quad(let corners) = template.entry.printArea else { return }
        var changedOutside = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let i = (y * canvas.width + x) * 3
                guard canvas.pixels[i..<i + 3] != bare.pixels[i..<i + 3] else { continue }
                if !Self.inside(SIMD2(Double(x) + 0.5, Double(y) + 0.5), corners) { changedOutside += 1 }
            }
        }
        #expect(changedOutside == 0)
    }

    /// Inside a clockwise (screen) convex quad, with half a pixel of tolerance for rounding.
    static func inside(_ point: SIMD2<Double>, _ corners: [SIMD2<Double>]) -> Bool {
        (0..<4).allSatisfy { index in
            let a = corners[index], b = corners[(index + 1) % 4]
            let edge = b - a, offset = point - a
            let cross = edge.x * offset.y - edge.y * offset.x
            return cross / (edge * edge).sum().squareRoot() >= -0.5
        }
    }
}
