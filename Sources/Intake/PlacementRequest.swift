import Foundation
import Mockups

/// The create request's `placement`: a preset's name (`"left_chest"`) or an explicit box
/// `{"side"?: "front"|"back", "x_mm", "y_mm", "width_mm", "height_mm"?}` — offsets from the
/// side's printable area's top-left corner; without `height_mm` the box reaches the
/// area's bottom edge (the width sets the print's size, the design's aspect its height).
enum PlacementRequest: Decodable, Sendable {
    case preset(String)
    case box(Box)

    struct Box: StrictRequestBody, Sendable {
        static let members: Set<String> = ["side", "x_mm", "y_mm", "width_mm", "height_mm"]

        var side: String?
        var xMM: Double
        var yMM: Double
        var widthMM: Double
        var heightMM: Double?

        private enum CodingKeys: String, CodingKey {
            case side, xMM = "x_mm", yMM = "y_mm", widthMM = "width_mm", heightMM = "height_mm"
        }

        init(from decoder: any Decoder) throws {
            try Self.rejectUnknownMembers(in: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // `null` is not a value the document allows: omit the member instead.
            for key in [CodingKeys.side, .heightMM] where container.contains(key) {
                if try container.decodeNil(forKey: key) {
                    throw APIProblem.validation("placement.\(key.rawValue) must not be null; omit it for the default", field: key.rawValue)
                }
            }
            side = try container.decodeIfPresent(String.self, forKey: .side)
            xMM = try container.decode(Double.self, forKey: .xMM)
            yMM = try container.decode(Double.self, forKey: .yMM)
            widthMM = try container.decode(Double.self, forKey: .widthMM)
            heightMM = try container.decodeIfPresent(Double.self, forKey: .heightMM)
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let name = try? container.decode(String.self) {
            self = .preset(name)
            return
        }
        do {
            self = .box(try container.decode(Box.self))
        } catch let problem as APIProblem {
            // Unknown members inside the box name their path.
            throw APIProblem.validation(problem.detail, field: "placement." + (problem.field ?? ""))
        } catch DecodingError.typeMismatch {
            throw APIProblem.validation("placement must be a preset name or an object with x_mm, y_mm and width_mm", field: "placement")
        }
    }

    /// The placement on `type` (whose name is `typeName`), or a 400 naming the member at fault.
    func resolve(on type: TemplateManifest.ProductType, typeName: String) throws -> Placement {
        let presetNames = (type.presets ?? [:]).keys.sorted()
        guard !presetNames.isEmpty else {
            throw APIProblem.validation("product type \(typeName) has no placements to choose from; omit placement", field: "placement")
        }
        switch self {
        case .preset(let name):
            guard let placement = type.preset(name) else {
                throw APIProblem.validation("placement must be one of (for \(typeName)): \(presetNames.joined(separator: ", ")), or an explicit box", field: "placement")
            }
            return placement
        case .box(let box):
            let sideName = box.side ?? PrintSide.front.rawValue
            guard let side = PrintSide(rawValue: sideName), let area = type.printableArea(side) else {
                let sides = PrintSide.allCases.filter { type.printableArea($0) != nil }.map(\.rawValue)
                throw APIProblem.validation("placement.side must be one of (for \(typeName)): \(sides.joined(separator: ", "))", field: "placement.side")
            }
            let minimum = Placement.minimumSideMM
            func field(_ name: String, _ value: Double, within range: ClosedRange<Double>) throws {
                guard value.isFinite, range.contains(value) else {
                    let bounds = "\(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))"
                    throw APIProblem.validation(
                        "placement.\(name) must be from \(bounds) mm on the \(side.rawValue) of \(typeName) (printable area \(Self.format(area.widthMM))×\(Self.format(area.heightMM)) mm)",
                        field: "placement.\(name)")
                }
            }
            try field("x_mm", box.xMM, within: 0...max(0, area.widthMM - minimum))
            try field("y_mm", box.yMM, within: 0...max(0, area.heightMM - minimum))
            try field("width_mm", box.widthMM, within: minimum...max(minimum, area.widthMM - box.xMM))
            let height = box.heightMM ?? (area.heightMM - box.yMM)
            try field("height_mm", height, within: minimum...max(minimum, area.heightMM - box.yMM))
            return Placement(preset: nil, side: side, box: MillimetreRect(x: box.xMM, y: box.yMM, width: box.widthMM, height: height))
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
