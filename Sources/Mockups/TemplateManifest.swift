/// `templates/manifest.json`: product type × colour → a flat-lay and an mr_imagine template,
/// plus the declared fallbacks. See `templates/README.md` for the format.
public struct TemplateManifest: Sendable, Hashable, Codable {
    /// The templates of one product type.
    public struct ProductType: Sendable, Hashable, Codable {
        /// The colour used when a requested colour has no template.
        public var defaultColor: String
        public var colors: [String: Colorway]

        public init(defaultColor: String, colors: [String: Colorway]) {
            self.defaultColor = defaultColor
            self.colors = colors
        }

        private enum CodingKeys: String, CodingKey {
            case defaultColor = "default_color"
            case colors
        }
    }

    /// The templates of one colour of one product type.
    public struct Colorway: Sendable, Hashable, Codable {
        public var flatLay: TemplateEntry?
        public var mrImagine: TemplateEntry?

        public init(flatLay: TemplateEntry?, mrImagine: TemplateEntry?) {
            self.flatLay = flatLay
            self.mrImagine = mrImagine
        }

        public subscript(kind: MockupKind) -> TemplateEntry? {
            switch kind {
            case .flatLay: flatLay
            case .mrImagine: mrImagine
            }
        }

        private enum CodingKeys: String, CodingKey {
            case flatLay = "flat_lay"
            case mrImagine = "mr_imagine"
        }
    }

    /// The format version; this code reads version 1.
    public var manifestVersion: Int
    /// Used when a requested product type has no templates at all.
    public var defaultProductType: String?
    public var productTypes: [String: ProductType]

    public static let supportedVersion = 1

    public init(manifestVersion: Int = supportedVersion, defaultProductType: String?, productTypes: [String: ProductType]) {
        self.manifestVersion = manifestVersion
        self.defaultProductType = defaultProductType
        self.productTypes = productTypes
    }

    private enum CodingKeys: String, CodingKey {
        case manifestVersion = "manifest_version"
        case defaultProductType = "default_product_type"
        case productTypes = "product_types"
    }
}
