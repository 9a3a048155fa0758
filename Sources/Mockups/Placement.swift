/// Where a design is printed: a box in millimetres on one side of the garment (DESIGN.md
/// §11). The design is fitted into the box with its aspect kept, centred across it and
/// against its top edge (``MillimetreRect/fittingTop(width:height:)``); the DTF print file
/// is that fitted size at 300 DPI and both mockups show it where the box maps on their
/// template.
///
/// JSON (the product's `placement`, the manifest's presets, `template_info`):
/// `{"preset": "left_chest", "side": "front", "x_mm": …, "y_mm": …, "width_mm": …, "height_mm": …}`;
/// `preset` is `null` for an explicit box.
public struct Placement: Sendable, Hashable, Codable {
    /// The preset's name when the placement is one; `nil` for an explicit box.
    public var preset: String?
    public var side: PrintSide
    /// The box, from the printable area's top-left corner.
    public var box: MillimetreRect

    public init(preset: String?, side: PrintSide, box: MillimetreRect) {
        self.preset = preset
        self.side = side
        self.box = box
    }

    /// The printed size of a `width × height` design at `dpi`: fitted into the box, in whole
    /// pixels (at least 1).
    public func printPixels(designWidth: Int, designHeight: Int, dpi: Int) -> (width: Int, height: Int) {
        let fitted = box.fittingTop(width: designWidth, height: designHeight)
        let perMM = Double(dpi) / Self.millimetresPerInch
        return (max(1, Int((fitted.width * perMM).rounded())), max(1, Int((fitted.height * perMM).rounded())))
    }

    /// The box in inches (what the DTF options take).
    public var widthInches: Double { box.width / Self.millimetresPerInch }
    public var heightInches: Double { box.height / Self.millimetresPerInch }

    public static let millimetresPerInch = 25.4

    private enum CodingKeys: String, CodingKey {
        case preset, side
        case xMM = "x_mm", yMM = "y_mm", widthMM = "width_mm", heightMM = "height_mm"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        preset = try container.decodeIfPresent(String.self, forKey: .preset)
        side = try container.decode(PrintSide.self, forKey: .side)
        box = MillimetreRect(
            x: try container.decode(Double.self, forKey: .xMM), y: try container.decode(Double.self, forKey: .yMM),
            width: try container.decode(Double.self, forKey: .widthMM), height: try container.decode(Double.self, forKey: .heightMM))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Explicit null: readers of the jsonb column should not have to know the key is optional.
        try container.encode(preset, forKey: .preset)
        try container.encode(side, forKey: .side)
        try container.encode(box.x, forKey: .xMM)
        try container.encode(box.y, forKey: .yMM)
        try container.encode(box.width, forKey: .widthMM)
        try container.encode(box.height, forKey: .heightMM)
    }
}
