/// The built-in generator's drawing surface: premultiplied `Double` RGBA, composited
/// with "source over", converted to straight RGBA8 once at the end.
struct ArtCanvas {
    let size: Int
    private var pixels: [SIMD4<Double>]

    init(size: Int) {
        self.size = size
        pixels = Array(repeating: .zero, count: size * size)
    }

    /// How a shape is coloured at a point.
    enum Paint {
        case solid(ArtPalette.Colour)
        /// From `top` at `y0` to `bottom` at `y1`.
        case vertical(top: ArtPalette.Colour, bottom: ArtPalette.Colour, y0: Double, y1: Double)
        /// From `inner` at the centre to `outer` at `radius`.
        case radial(inner: ArtPalette.Colour, outer: ArtPalette.Colour, x: Double, y: Double, radius: Double)

        func colour(_ x: Double, _ y: Double) -> ArtPalette.Colour {
            switch self {
            case .solid(let c):
                return c
            case .vertical(let top, let bottom, let y0, let y1):
                let t = min(max((y - y0) / (y1 - y0), 0), 1)
                return top + (bottom - top) * t
            case .radial(let inner, let outer, let cx, let cy, let radius):
                let t = min((((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot()) / radius, 1)
                return inner + (outer - inner) * t
            }
        }
    }

    /// Composites `shape` (optionally clipped to `clip`) over the canvas.
    mutating func draw(_ shape: ArtShape, _ paint: Paint, clip: ArtShape? = nil, opacity: Double = 1) {
        // Visit only the pixels the shape (and clip) can touch.
        var box = (minX: 0.0, minY: 0.0, maxX: Double(size), maxY: Double(size))
        for bounds in [shape.bounds, clip?.bounds] {
            guard let bounds else { continue }
            box = (max(box.minX, bounds.minX), max(box.minY, bounds.minY), min(box.maxX, bounds.maxX), min(box.maxY, bounds.maxY))
        }
        let x0 = max(Int(box.minX.rounded(.down)), 0), y0 = max(Int(box.minY.rounded(.down)), 0)
        let x1 = min(Int(box.maxX.rounded(.up)), size - 1), y1 = min(Int(box.maxY.rounded(.up)), size - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let size = self.size
        pixels.withUnsafeMutableBufferPointer { pixels in
            for y in y0...y1 {
                let py = Double(y) + 0.5
                for x in x0...x1 {
                    let px = Double(x) + 0.5
                    var coverage = min(max(0.5 - shape.distance(px, py), 0), 1)
                    if coverage == 0 { continue }
                    if let clip {
                        coverage *= min(max(0.5 - clip.distance(px, py), 0), 1)
                        if coverage == 0 { continue }
                    }
                    let colour = paint.colour(px, py)
                    let alpha = colour.w * coverage * opacity
                    var source = colour * alpha
                    source.w = alpha
                    let index = y * size + x
                    pixels[index] = source + pixels[index] * (1 - alpha)
                }
            }
        }
    }

    /// Fills everything with an opaque colour.
    mutating func fill(_ colour: ArtPalette.Colour) {
        var opaque = colour
        opaque.w = 1
        for i in pixels.indices { pixels[i] = opaque }
    }

    /// Straight-alpha RGBA8.
    func image() -> RGBAImage {
        var bytes = [UInt8](repeating: 0, count: size * size * 4)
        for (i, p) in pixels.enumerated() where p.w > 0 {
            let alpha = min(p.w, 1)
            let colour = p / alpha
            bytes[i * 4] = UInt8((min(max(colour.x, 0), 1) * 255).rounded())
            bytes[i * 4 + 1] = UInt8((min(max(colour.y, 0), 1) * 255).rounded())
            bytes[i * 4 + 2] = UInt8((min(max(colour.z, 0), 1) * 255).rounded())
            bytes[i * 4 + 3] = UInt8((alpha * 255).rounded())
        }
        return RGBAImage(width: size, height: size, pixels: bytes)
    }
}
