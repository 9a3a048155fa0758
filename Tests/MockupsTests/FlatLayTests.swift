import Imaging
import Mockups
import Testing

@Suite("Flat-lay compositing")
struct FlatLayTests {
    @Test("the design lands inside the print area and nowhere else")
    func staysInsideThePrintArea() throws {
        let (template, bare) = try Fixtures.template("tshirt", "black", .flatLay)
        guard case .rectangle(let area) = template.entry.printArea else { Issue.record("flat-lay area is a rectangle"); return }
        var canvas = bare
        // Wider than the area's aspect: fitted to the width, letterboxed top and bottom.
        let design = try Fixtures.solid(1200, 600, RGBA(230, 40, 40))
        try MockupRenderer().composite(design: design, onto: &canvas, shading: nil, printArea: template.entry.printArea)
        let placement = area.fitting(width: 1200, height: 600)
        var changedOutside = 0, unchangedInside = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let index = (y * canvas.width + x) * 3
                let changed = canvas.pixels[index..<index + 3] != bare.pixels[index..<index + 3]
                let inside = x >= placement.x && x < placement.maxX && y >= placement.y && y < placement.maxY
                if inside && !changed { unchangedInside += 1 }
                if !inside && changed { changedOutside += 1 }
            }
        }
        #expect(changedOutside == 0)
        #expect(unchangedInside == 0)
        #expect(placement.width == area.width && placement.height < area.height)
        // Sampled: the centre is red ink, a point above the letterboxed design is still shirt.
        let centre = (placement.y + placement.height / 2) * canvas.width + placement.x + placement.width / 2
        #expect(canvas.pixels[centre * 3] > 120 && canvas.pixels[centre * 3 + 1] < 60)
        let above = (area.y + 2) * canvas.width + area.x + area.width / 2
        #expect(canvas.pixels[above * 3] == bare.pixels[above * 3])
    }

    @Test("a white design on a black shirt stays light")
    func whiteOnBlackStaysLight() throws {
        let (template, bare) = try Fixtures.template("tshirt", "black", .flatLay)
        var canvas = bare
        try MockupRenderer().composite(design: try Fixtures.solid(500, 600, RGBA(255, 255, 255)), onto: &canvas,
                                       shading: nil, printArea: template.entry.printArea)
        let area = template.entry.printArea.boundingBox
        let shirt = Fixtures.mean(Fixtures.luminance(bare, in: area))
        let print = Fixtures.mean(Fixtures.luminance(canvas, in: area))
        #expect(shirt < 0.2)
        #expect(print > 0.8, "white ink on black cloth must read as white, got mean luminance \(print)")
    }

    @Test("a dark design on a white shirt shows the shirt's shading")
    func darkOnWhiteShowsShading() throws {
        let (template, bare) = try Fixtures.template("tshirt", "white", .flatLay)
        var canvas = bare
        try MockupRenderer().composite(design: try Fixtures.solid(500, 600, RGBA(40, 40, 70)), onto: &canvas,
                                       shading: nil, printArea: template.entry.printArea)
        let area = template.entry.printArea.boundingBox
        let shirt = Fixtures.luminance(bare, in: area)
        let print = Fixtures.luminance(canvas, in: area)
        #expect(Fixtures.mean(print) < 0.25)
        let correlation = Fixtures.correlation(print, shirt)
        #expect(correlation > 0.6, "print luminance should follow the fabric's, correlation \(correlation)")
        let spread = (print.max() ?? 0) - (print.min() ?? 0)
        #expect(spread > 0.03, "folds must be visible in the print")
    }

    @Test("a design smaller than the area is enlarged to fit, aspect kept")
    func smallDesignIsEnlarged() throws {
        var canvas = CompositeCanvas(width: 200, height: 200, channels: 3, pixels: [UInt8](repeating: 128, count: 200 * 200 * 3))
        let area = PixelRect(x: 50, y: 40, width: 100, height: 120)
        try MockupRenderer().composite(design: try Fixtures.solid(10, 10, RGBA(255, 0, 0)), onto: &canvas,
                                       shading: nil, printArea: .rectangle(area))
        // 10×10 into 100×120 → 100×100 at y 50.
        #expect(canvas.pixels[(45 * 200 + 100) * 3] == 128)
        #expect(canvas.pixels[(100 * 200 + 100) * 3] > 200)
        #expect(canvas.pixels[(155 * 200 + 100) * 3] == 128)
    }
}
