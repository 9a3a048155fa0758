/// A shape of the built-in art, as a signed distance field in pixels (negative inside).
/// Coverage of a pixel is `clamp(0.5 − distance, 0, 1)`, which gives a one-pixel
/// anti-aliased edge at any size without supersampling.
enum ArtShape {
    case circle(x: Double, y: Double, radius: Double)
    case ring(x: Double, y: Double, radius: Double, halfWidth: Double)
    /// A closed polygon (regular polygons and stars).
    case polygon([SIMD2<Double>])
    case roundedRect(x: Double, y: Double, halfWidth: Double, halfHeight: Double, corner: Double)
    /// Everything below the curve `y = base + amplitude × sin(frequency × x + phase)`.
    case belowWave(base: Double, amplitude: Double, frequency: Double, phase: Double)
    /// Parallel bands across the whole plane, along direction `angle`.
    case stripes(angle: Double, period: Double, halfWidth: Double)
    /// The part of a shape within `width` of its boundary (an outline drawn inside it).
    indirect case rim(ArtShape, width: Double)

    /// A regular star (`inner < outer`) or polygon (`inner == nil`).
    static func star(x: Double, y: Double, points: Int, outer: Double, inner: Double?, rotation: Double) -> ArtShape {
        let steps = inner == nil ? points : points * 2
        let vertices = (0..<steps).map { i -> SIMD2<Double> in
            let angle = rotation + 2 * PortableMath.pi * Double(i) / Double(steps)
            let r = i % 2 == 1 ? inner ?? outer : outer
            return SIMD2(x + r * PortableMath.cos(angle), y + r * PortableMath.sin(angle))
        }
        return .polygon(vertices)
    }

    /// Pixel bounds that contain every point with distance < 0.5, or `nil` for unbounded shapes.
    var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        switch self {
        case .circle(let x, let y, let r):
            return (x - r - 1, y - r - 1, x + r + 1, y + r + 1)
        case .ring(let x, let y, let r, let hw):
            return (x - r - hw - 1, y - r - hw - 1, x + r + hw + 1, y + r + hw + 1)
        case .polygon(let vertices):
            guard let first = vertices.first else { return (0, 0, 0, 0) }
            let low = vertices.reduce(first) { pointwiseMin($0, $1) }, high = vertices.reduce(first) { pointwiseMax($0, $1) }
            return (low.x - 1, low.y - 1, high.x + 1, high.y + 1)
        case .roundedRect(let x, let y, let hw, let hh, _):
            return (x - hw - 1, y - hh - 1, x + hw + 1, y + hh + 1)
        case .rim(let shape, _):
            return shape.bounds
        case .belowWave, .stripes:
            return nil
        }
    }

    func distance(_ px: Double, _ py: Double) -> Double {
        switch self {
        case .circle(let x, let y, let r):
            return length(px - x, py - y) - r
        case .ring(let x, let y, let r, let hw):
            return abs(length(px - x, py - y) - r) - hw
        case .polygon(let vertices):
            return Self.polygonDistance(vertices, SIMD2(px, py))
        case .roundedRect(let x, let y, let hw, let hh, let corner):
            let qx = abs(px - x) - hw + corner, qy = abs(py - y) - hh + corner
            return length(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - corner
        case .belowWave(let base, let amplitude, let frequency, let phase):
            let curve = base + amplitude * PortableMath.sin(frequency * px + phase)
            let slope = amplitude * frequency * PortableMath.cos(frequency * px + phase)
            // Vertical distance divided by the slope factor: a first-order true distance.
            return (curve - py) / (1 + slope * slope).squareRoot()
        case .stripes(let angle, let period, let halfWidth):
            let t = px * PortableMath.cos(angle) + py * PortableMath.sin(angle)
            let phase = t / period - (t / period).rounded(.down)
            return abs(phase - 0.5) * period - halfWidth
        case .rim(let shape, let width):
            // Intersection of "inside the shape" and "outside the shape shrunk by width".
            let d = shape.distance(px, py)
            return max(d, -d - width)
        }
    }

    private func length(_ x: Double, _ y: Double) -> Double { (x * x + y * y).squareRoot() }

    /// Exact signed distance to a closed polygon (Inigo Quilez's formulation): the nearest
    /// edge gives the magnitude, a crossing count gives the sign.
    private static func polygonDistance(_ v: [SIMD2<Double>], _ p: SIMD2<Double>) -> Double {
        var d = ((p - v[0]) * (p - v[0])).sum()
        var sign = 1.0
        var j = v.count - 1
        for i in 0..<v.count {
            let e = v[j] - v[i]
            let w = p - v[i]
            let t = min(max((w * e).sum() / (e * e).sum(), 0), 1)
            let b = w - e * t
            d = min(d, (b * b).sum())
            let c1 = p.y >= v[i].y, c2 = p.y < v[j].y, c3 = e.x * w.y > e.y * w.x
            if (c1 && c2 && c3) || (!c1 && !c2 && !c3) { sign = -sign }
            j = i
        }
        return sign * d.squareRoot()
    }
}
