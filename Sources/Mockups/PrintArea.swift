public import Imaging

/// Where a design goes on a template, in template pixels.
///
/// JSON: a rectangle is `{"x":…,"y":…,"width":…,"height":…}`, a quad is
/// `{"corners":[[x,y],[x,y],[x,y],[x,y]]}` (top-left, top-right, bottom-right,
/// bottom-left). Either shape may be used for either ``MockupKind``.
public enum PrintArea: Sendable, Hashable, Codable {
    case rectangle(PixelRect)
    /// Four corners: top-left, top-right, bottom-right, bottom-left.
    case quad([SIMD2<Double>])

    /// The axis-aligned pixel box around the area.
    public var boundingBox: PixelRect {
        switch self {
        case .rectangle(let rect):
            return rect
        case .quad(let corners):
            let xs = corners.map(\.x), ys = corners.map(\.y)
            let left = Int((xs.min() ?? 0).rounded(.down)), top = Int((ys.min() ?? 0).rounded(.down))
            let right = Int((xs.max() ?? 0).rounded(.up)), bottom = Int((ys.max() ?? 0).rounded(.up))
            return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case x, y, width, height, corners
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.corners) {
            let pairs = try container.decode([[Double]].self, forKey: .corners)
            guard pairs.allSatisfy({ $0.count == 2 }) else {
                throw DecodingError.dataCorruptedError(forKey: .corners, in: container,
                                                       debugDescription: "each corner is [x, y]")
            }
            self = .quad(pairs.map { SIMD2($0[0], $0[1]) })
        } else {
            self = .rectangle(PixelRect(
                x: try container.decode(Int.self, forKey: .x), y: try container.decode(Int.self, forKey: .y),
                width: try container.decode(Int.self, forKey: .width),
                height: try container.decode(Int.self, forKey: .height)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .rectangle(let rect):
            try container.encode(rect.x, forKey: .x)
            try container.encode(rect.y, forKey: .y)
            try container.encode(rect.width, forKey: .width)
            try container.encode(rect.height, forKey: .height)
        case .quad(let corners):
            try container.encode(corners.map { [$0.x, $0.y] }, forKey: .corners)
        }
    }
}
