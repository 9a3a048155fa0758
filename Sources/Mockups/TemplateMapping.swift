import Imaging

/// A template's millimetre → pixel map: the printable area of its side (millimetres from
/// the area's top-left corner) onto the template's print area. A rectangle maps by scale
/// and offset; a quad through the homography that takes the area's corners to the quad's
/// (so a box on the garment lands where the photo's perspective puts it).
public struct TemplateMapping: Sendable {
    public let printArea: PrintArea
    public let area: PrintableArea
    private let homography: Homography?

    /// `nil` when the area is empty or the quad degenerate.
    public init?(printArea: PrintArea, area: PrintableArea) {
        guard area.widthMM > 0, area.heightMM > 0 else { return nil }
        self.printArea = printArea
        self.area = area
        switch printArea {
        case .rectangle(let rect):
            guard !rect.isEmpty else { return nil }
            homography = nil
        case .quad(let corners):
            guard corners.count == 4, let map = Homography(from: area.box.corners, to: corners) else { return nil }
            homography = map
        }
    }

    /// A point in millimetres → template pixels (continuous coordinates, pixel edges on integers).
    public func point(_ mm: SIMD2<Double>) -> SIMD2<Double> {
        switch printArea {
        case .rectangle(let rect):
            return SIMD2(Double(rect.x) + mm.x * Double(rect.width) / area.widthMM,
                         Double(rect.y) + mm.y * Double(rect.height) / area.heightMM)
        case .quad:
            return homography?.apply(mm) ?? mm
        }
    }

    /// `box` on the template: a rectangle of whole pixels (nearest edges) for a rectangle
    /// print area, the four mapped corners for a quad.
    public func map(_ box: MillimetreRect) -> PrintArea {
        let corners = box.corners.map(point)
        switch printArea {
        case .rectangle:
            let left = Int(corners[0].x.rounded()), top = Int(corners[0].y.rounded())
            let right = Int(corners[2].x.rounded()), bottom = Int(corners[2].y.rounded())
            return .rectangle(PixelRect(x: left, y: top, width: max(1, right - left), height: max(1, bottom - top)))
        case .quad:
            return .quad(corners)
        }
    }

    /// Pixels per millimetre across and down a rectangle print area (equal for a faithful
    /// photo; `nil` for a quad, whose scale varies with perspective).
    public var rectangleScale: (x: Double, y: Double)? {
        guard case .rectangle(let rect) = printArea else { return nil }
        return (Double(rect.width) / area.widthMM, Double(rect.height) / area.heightMM)
    }
}
