/// The region of one side of a garment that can be printed, in millimetres, measured from
/// its top-left corner as the side is seen (the wearer's left is the viewer's right on
/// the front). Each template of that side maps this rectangle onto its picture.
public struct PrintableArea: Sendable, Hashable, Codable {
    public var widthMM: Double
    public var heightMM: Double

    public init(widthMM: Double, heightMM: Double) {
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    /// The whole area as a box at the origin.
    public var box: MillimetreRect { MillimetreRect(x: 0, y: 0, width: widthMM, height: heightMM) }

    private enum CodingKeys: String, CodingKey {
        case widthMM = "width_mm"
        case heightMM = "height_mm"
    }
}
