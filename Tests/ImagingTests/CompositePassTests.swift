import Imaging
import Testing

@Suite("Row-by-row compositing")
struct CompositePassTests {
    /// A 160×120 RGB "garment": a lit gradient with folds and knit noise.
    static func garment(width: Int = 160, height: Int = 120) -> CompositeCanvas {
        var pixels: [UInt8] = []
        var noise: UInt32 = 12345
        for y in 0..<height {
            for x in 0..<width {
                noise = noise &* 1_103_515_245 &+ 12345
                let fold = (x / 9 + y / 13) % 3 == 0 ? 40 : 0
                let base = 60 + x / 2 + y / 3 - fold + Int(noise >> 28)
                pixels += [UInt8(clamping: base), UInt8(clamping: base + 20), UInt8(clamping: base + 50)]
            }
        }
        return CompositeCanvas(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// A design with an opaque body, a soft edge and a transparent hole.
    static func design(width: Int, height: Int) -> RGBAImage {
        var image = RGBAImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let alpha: UInt8 = x < 3 ? 90 : ((x - width / 2) * (x - width / 2) + (y - height / 2) * (y - height / 2) < 25 ? 0 : 255)
                image[x, y] = RGBA(UInt8(truncatingIfNeeded: 200 + x), UInt8(truncatingIfNeeded: y * 4), 90, alpha)
            }
        }
        return image
    }

    /// Applies `pass` to each row of `canvas` copied out on its own, as a stream would.
    static func streamed(_ canvas: CompositeCanvas, _ pass: some CompositePass) -> CompositeCanvas {
        var pixels: [UInt8] = []
        for y in 0..<canvas.height {
            var row = Array(canvas.pixels[(y * canvas.bytesPerRow)..<((y + 1) * canvas.bytesPerRow)])
            row.withUnsafeMutableBufferPointer { pass.draw(into: $0, y: y, channels: canvas.channels) }
            pixels += row
        }
        return CompositeCanvas(width: canvas.width, height: canvas.height, channels: canvas.channels, pixels: pixels)
    }

    @Test("luminance collected row by row equals the canvas's, and rows outside the region are ignored")
    func luminanceFromRows() {
        let canvas = Self.garment()
        let region = PixelRect(x: 30, y: 20, width: 50, height: 40)
        var luminance = ShadingLuminance(region: region)
        canvas.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<canvas.height where !luminance.isComplete || y >= region.maxY {
                luminance.add(row: UnsafeBufferPointer(rebasing: pixels[(y * canvas.bytesPerRow)..<((y + 1) * canvas.bytesPerRow)]),
                              y: y, channels: 3)
            }
        }
        #expect(luminance.isComplete && luminance.nextRow == region.maxY)
        #expect(luminance.values == canvas.shadingLuminance(in: region).values)
        #expect(luminance.values.count == 50 * 40)
        let corner = Float(canvas.luminance(x: 30, y: 20))
        #expect(abs(luminance.values[0] - corner) < 1e-6)
        let map = ShadingMap(luminance)
        #expect(map.factors == ShadingMap(source: canvas, region: region).factors)
    }

    @Test("without displacement a map holds no offsets and every offset is zero")
    func noDisplacement() {
        let canvas = Self.garment()
        let region = PixelRect(x: 10, y: 10, width: 60, height: 60)
        let flat = ShadingMap(source: canvas, region: region, options: ShadingOptions(displacement: 0))
        #expect(flat.offsets.isEmpty)
        #expect(flat.offset(x: 40, y: 40) == .zero)
        let relief = ShadingMap(source: canvas, region: region)
        #expect(relief.offsets.count == 60 * 60)
        #expect(relief.offsets.contains { $0 != .zero })
        #expect(flat.factors == relief.factors)
    }

    @Test("a flat-lay pass drawn row by row equals compositing the whole canvas",
          arguments: [(70, 50), (200, 100), (20, 20)])
    func flatLayRowsMatchCanvas(designWidth: Int, designHeight: Int) {
        let bare = Self.garment()
        let area = PixelRect(x: 40, y: 25, width: 70, height: 80)
        let design = Self.design(width: designWidth, height: designHeight)
        let compositor = FlatLayCompositor()
        var whole = bare
        let visible = compositor.composite(design, into: area, on: &whole)
        let region = compositor.shadingRegion(for: area, canvasWidth: bare.width, canvasHeight: bare.height)
        let pass = compositor.pass(design, into: area, canvasWidth: bare.width, canvasHeight: bare.height,
                                   shading: bare.shadingLuminance(in: region))
        #expect(pass.visible == visible)
        #expect(pass.rows == visible.y..<visible.maxY)
        let streamed = Self.streamed(bare, pass)
        #expect(streamed.pixels == whole.pixels)
        // Something was drawn, and only inside the placement.
        #expect(whole.pixels != bare.pixels)
        for y in 0..<bare.height where !pass.rows.contains(y) {
            let range = (y * bare.bytesPerRow)..<((y + 1) * bare.bytesPerRow)
            #expect(streamed.pixels[range] == bare.pixels[range])
        }
    }

    @Test("a perspective pass drawn row by row equals compositing the whole canvas, shading from another image")
    func perspectiveRowsMatchCanvas() throws {
        let bare = Self.garment()
        var shading = Self.garment()
        shading.pixels = shading.pixels.map { $0 / 2 &+ 30 }
        let corners: [SIMD2<Double>] = [SIMD2(35.5, 20), SIMD2(120, 28), SIMD2(112, 104), SIMD2(30, 96.5)]
        let design = Self.design(width: 90, height: 80)
        let compositor = PerspectiveCompositor()
        var whole = bare
        let box = try compositor.composite(design, corners: corners, on: &whole, shading: shading)
        let region = PerspectiveCompositor.shadingRegion(corners: corners, canvasWidth: bare.width, canvasHeight: bare.height)
        #expect(region == box)
        let pass = try compositor.pass(design, corners: corners, canvasWidth: bare.width, canvasHeight: bare.height,
                                       shading: shading.shadingLuminance(in: region))
        #expect(pass.rows == box.y..<box.maxY)
        #expect(Self.streamed(bare, pass).pixels == whole.pixels)
        #expect(whole.pixels != bare.pixels)
    }

    @Test("an RGBA canvas composites the same row by row")
    func rgbaCanvas() {
        let rgb = Self.garment(width: 64, height: 48)
        var pixels: [UInt8] = []
        for index in stride(from: 0, to: rgb.pixels.count, by: 3) {
            pixels += rgb.pixels[index..<index + 3] + [UInt8(truncatingIfNeeded: index / 3)]
        }
        let bare = CompositeCanvas(width: 64, height: 48, channels: 4, pixels: pixels)
        let area = PixelRect(x: 10, y: 8, width: 40, height: 30)
        let design = Self.design(width: 40, height: 30)
        var whole = bare
        FlatLayCompositor().composite(design, into: area, on: &whole)
        let compositor = FlatLayCompositor()
        let pass = compositor.pass(design, into: area, canvasWidth: 64, canvasHeight: 48,
                                   shading: bare.shadingLuminance(in: compositor.shadingRegion(for: area, canvasWidth: 64, canvasHeight: 48)))
        #expect(Self.streamed(bare, pass).pixels == whole.pixels)
    }
}
