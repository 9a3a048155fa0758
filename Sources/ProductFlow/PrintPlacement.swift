/// A product's placement as job payloads carry it (the JSON of the `products.placement`
/// column and of `Mockups.Placement`): `side` (`front`, `back`) and a box in millimetres
/// from the side's printable area's top-left corner. The design worker sizes the DTF
/// print file from it, the mockup workers map it onto their templates.
public struct PrintPlacement: Codable, Sendable, Equatable {
    public var preset: String?
    public var side: String
    public var xMM: Double
    public var yMM: Double
    public var widthMM: Double
    public var heightMM: Double

    enum CodingKeys: String, CodingKey {
        case preset, side, xMM = "x_mm", yMM = "y_mm", widthMM = "width_mm", heightMM = "height_mm"
    }

    public init(preset: String?, side: String, xMM: Double, yMM: Double, widthMM: Double, heightMM: Double) {
        self.preset = preset
        self.side = side
        self.xMM = xMM
        self.yMM = yMM
        self.widthMM = widthMM
        self.heightMM = heightMM
    }
}
