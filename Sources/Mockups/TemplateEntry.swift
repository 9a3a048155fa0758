/// One template of the manifest: a base image, its shading source and its print area.
public struct TemplateEntry: Sendable, Hashable, Codable {
    /// Where the fabric shading comes from.
    public enum Shading: Sendable, Hashable, Codable {
        /// The base image's own luminance (right for photos and the generated templates).
        case base
        /// A separate image of the same size, path relative to the catalogue directory.
        case image(String)

        public init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer().decode(String.self)
            self = value == "base" ? .base : .image(value)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .base: try container.encode("base")
            case .image(let path): try container.encode(path)
            }
        }
    }

    /// Unique across the catalogue; recorded in `template_info`.
    public var id: String
    /// Bumped whenever the image or print area changes, so old mockups can be told apart.
    public var version: Int
    /// Path of the base PNG, relative to the catalogue directory.
    public var image: String
    public var shading: Shading
    public var printArea: PrintArea

    public init(id: String, version: Int, image: String, shading: Shading = .base, printArea: PrintArea) {
        self.id = id
        self.version = version
        self.image = image
        self.shading = shading
        self.printArea = printArea
    }

    private enum CodingKeys: String, CodingKey {
        case id, version, image, shading
        case printArea = "print_area"
        case corners
    }

    /// Flat-lay entries spell the area `"print_area": {x, y, width, height}`, mr_imagine
    /// entries `"corners": [[x, y] × 4]`; either is accepted for either kind.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        version = try container.decode(Int.self, forKey: .version)
        image = try container.decode(String.self, forKey: .image)
        shading = try container.decodeIfPresent(Shading.self, forKey: .shading) ?? .base
        if container.contains(.corners) {
            printArea = try PrintArea(from: decoder)
        } else {
            printArea = try container.decode(PrintArea.self, forKey: .printArea)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(version, forKey: .version)
        try container.encode(image, forKey: .image)
        try container.encode(shading, forKey: .shading)
        switch printArea {
        case .rectangle: try container.encode(printArea, forKey: .printArea)
        case .quad: try printArea.encode(to: encoder)
        }
    }
}
